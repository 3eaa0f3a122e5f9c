import Forecasting
import Testing
import TestSupport

@Suite struct NormalizationTests {
    @Test func instanceNormalizationRoundTrips() {
        let window: [Float] = [3, 5, 7, 11, -2, 0.5]
        let stats = InstanceNormalization(window: window)
        let normalized = stats.normalize(window)
        let mean = normalized.reduce(0, +) / Float(normalized.count)
        let variance = normalized.map { $0 * $0 }.reduce(0, +) / Float(normalized.count)
        #expect(abs(mean) < 1e-6)
        #expect(abs(variance - 1) < 1e-4)
        expectClose(stats.denormalize(normalized), window, rtol: 1e-6, atol: 1e-5)
    }

    @Test func flatWindowStaysFinite() {
        let stats = InstanceNormalization(window: [Float](repeating: 4, count: 8))
        #expect(stats.normalize(4) == 0)
        #expect(stats.denormalize(0) == 4)
    }

    @Test func standardScalerUsesPopulationStdOfTrainingRowsOnly() {
        let scaler = StandardScaler(fitting: [[1, 3, 100]], rows: 0..<2)
        #expect(scaler.means == [2])
        #expect(scaler.deviations == [1])
        #expect(scaler.transform([[1, 3, 100]]) == [[-1, 1, 98]])
        #expect(scaler.inverse(scaler.transform([[1, 3, 100]])) == [[1, 3, 100]])
    }
}
