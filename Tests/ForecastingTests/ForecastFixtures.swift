import Forecasting
import Foundation
import NeuralNetworks

/// Tiny configurations and series shared by the model tests.
enum ForecastFixtures {
    static func tinyConfiguration(segment: Int = 4, context: Int = 4, timestamps: Bool = false) -> ForecasterConfiguration {
        var configuration = ForecasterConfiguration()
        configuration.segmentLength = segment
        configuration.contextSegments = context
        configuration.timestampEmbedding = timestamps
        configuration.backbone.hiddenSize = 16
        configuration.backbone.layerCount = 1
        configuration.backbone.headCount = 2
        configuration.backbone.intermediateSize = 32
        configuration.backbone.contextLength = 16
        return configuration
    }

    static func tinyOptions(steps: Int = 15) -> ForecastTrainingOptions {
        var options = ForecastTrainingOptions()
        options.steps = steps
        options.batchSize = 8
        options.learningRate = 3e-3
        options.validationInterval = 5
        options.validationWindows = 16
        return options
    }

    /// A daily-period hourly table with two channels, 400 rows.
    static func seasonalTable(rows: Int = 400) -> TimeSeriesTable {
        let start = Timestamp.seconds(.init(year: 2020, month: 1, day: 1))
        let a = (0..<rows).map { Float(sin(Double($0) * 2 * .pi / 8)) + 0.01 * Float($0) }
        let b = (0..<rows).map { Float(cos(Double($0) * 2 * .pi / 8)) * 2 + 5 }
        return TimeSeriesTable(timestamps: (0..<rows).map { start + Double($0) * 3600 }, columnNames: ["a", "b"],
                               values: [a, b], frequency: .hours(1))
    }

    static var quiet: (String) -> Void { { _ in } }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
