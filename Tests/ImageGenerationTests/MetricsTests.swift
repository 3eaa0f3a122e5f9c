import Foundation
import ImageGeneration
import Tensors
import Testing

/// Fréchet distance and the symmetric eigen-decomposition behind it.
struct MetricsTests {
    @Test func oneDimensionalGaussiansByHand() throws {
        // a: mean 1, sample variance 2; b: mean 3, sample variance 4.
        // FD = (1 - 3)^2 + (sqrt 2 - sqrt 4)^2 = 4 + 6 - 4 sqrt 2.
        let a: [[Float]] = [[0], [2]], b: [[Float]] = [[1], [3], [5]]
        let distance = try FrechetDistance.distance(a, b)
        #expect(abs(distance - (10 - 4 * 2.0.squareRoot())) < 1e-9)
    }

    @Test func identicalSetsHaveZeroDistance() throws {
        var g = SeededGenerator(seed: 1)
        let rows = (0..<50).map { _ in (0..<6).map { _ in Float.random(in: -1...1, using: &g) } }
        #expect(abs(try FrechetDistance.distance(rows, rows)) < 1e-8)
    }

    @Test func diagonalCovariancesAddUp() {
        // Independent dimensions: FD is the sum of the 1-D distances.
        let d = FrechetDistance.distance(mean1: [0, 1], covariance1: [[4, 0], [0, 1]], mean2: [1, 1], covariance2: [[1, 0], [0, 9]])
        #expect(abs(d - (1 + 1 + 4)) < 1e-9)
    }

    @Test func eigenDecompositionReconstructs() {
        let m: [[Double]] = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]
        let (values, vectors) = FrechetDistance.eigen(m)
        for i in 0..<3 { for j in 0..<3 {
            let rebuilt = (0..<3).reduce(0.0) { $0 + vectors[i][$1] * values[$1] * vectors[j][$1] }
            #expect(abs(rebuilt - m[i][j]) < 1e-9)
        } }
        let root = FrechetDistance.squareRoot(m)
        for i in 0..<3 { for j in 0..<3 {
            #expect(abs((0..<3).reduce(0.0) { $0 + root[i][$1] * root[$1][j] } - m[i][j]) < 1e-9)
        } }
    }

    @Test func needsTwoRows() {
        #expect(throws: ImageDataError.self) { try FrechetDistance.distance([[1]], [[1], [2]]) }
        #expect(throws: ImageDataError.self) { try FrechetDistance.distance([[1], [2]], [[1, 2], [2, 3]]) }
    }

    @Test func classifierShapesAndRoundTrip() throws {
        var g = SeededGenerator(seed: 2)
        var c = DigitClassifier.Configuration()
        c.imageSize = 8
        c.classCount = 3
        c.featureSize = 5
        let model = try DigitClassifier(configuration: c, generator: &g)
        let images = Tensor.uniform([4, 1, 8, 8], using: &g)
        let (classes, features) = try model.predict(images, batchSize: 3)
        #expect(classes.count == 4 && classes.allSatisfy { (0..<3).contains($0) })
        #expect(features.count == 4 && features.allSatisfy { $0.count == 5 })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cls-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        #expect(try DigitClassifier.load(from: url).predict(images).features == features)
    }
}
