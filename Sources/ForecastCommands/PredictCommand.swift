import ArgumentParser
import Commands
import Foundation
import Forecasting

/// `forecast predict`: forecasts every series of a CSV past its end.
extension ForecastBand: ExpressibleByArgument {}

public struct PredictCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Forecast the next H points of every series; write a CSV and optionally a PNG plot.")

    @OptionGroup public var inputOptions: InputOptions

    @Option(name: .long, help: "A folder written by `forecast train` (default: the shipped model).")
    public var model: String?

    @Option(name: .long, help: "Points to forecast (at most \(Forecaster.maximumHorizon)).")
    public var horizon: Int

    @Option(name: [.short, .long], help: "The forecast CSV (default: standard output).")
    public var output: String?

    @Option(name: .long, help: "A PNG chart of history, forecast and the 10-90% band.")
    public var plot: String?

    @Option(name: .long, help: """
        How the 10-90% band is drawn: backtest (the model's own errors when forecasting from earlier \
        cut points of each series, per lead time: grows with the horizon as the errors do), ensemble \
        (rolls that feed back noise of the one-step error's size: too narrow at long horizons, see \
        BENCHMARKS.md) or none. backtest falls back to ensemble for series too short to backtest.
        """)
    public var band: ForecastBand = .backtest

    @Option(name: .long, help: "Rolls in the ensemble behind --band ensemble (0: no band; at most \(Forecaster.maximumSamples)).")
    public var samples: Int = 20

    @Option(name: .long, help: "Seed of the ensemble's noise.")
    public var seed: UInt64 = 0

    @Flag(inversion: .prefixedNo, help: """
        Prefill series whose histories differ in length (shorter than the model's lookback, or \
        starting late) packed into shared rows with a block-diagonal mask: one forward pass per step \
        instead of one per history length, at the cost of attention over the whole packed row; \
        forecasts agree to float rounding, the band's noise is drawn in series order.
        """)
    public var prepack = true

    @Flag(name: .long, help: "Print the forecast as JSON on stdout (instead of CSV when no -o is given).")
    public var json = false

    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    public init() {}

    public func validate() throws {
        if !(1...Forecaster.maximumHorizon).contains(horizon) {
            throw ValidationError("--horizon must be in 1...\(Forecaster.maximumHorizon), got \(horizon)")
        }
        if !(0...Forecaster.maximumSamples).contains(samples) {
            throw ValidationError("--samples must be in 0...\(Forecaster.maximumSamples), got \(samples)")
        }
    }

    struct Output: Encodable {
        var columns: [String]
        var dates: [String]?
        var forecast: [[Float]]
        var lower: [[Float]]
        var upper: [[Float]]
    }

    public func run() throws {
        // Outputs that cannot be written fail before the work, not after the first file.
        for path in [output, plot].compactMap({ $0 }) { try Console.checkWritable(path) }
        var table = try inputOptions.read(masksMissing: true)
        if table.hasMissingValues {
            // A forecast has no loss to mask: the model reads a history without gaps.
            table = try table.interpolatingMissing()
            Console.progress("--missing keep: the history's missing values are filled by linear interpolation for the forecast")
        }
        let forecaster = try DefaultModel.load(model)
        let result = try forecaster.predict(table, horizon: horizon, samples: samples, seed: seed, prepack: prepack, band: band)
        let csv = result.csv(includeBand: band == .backtest || band == .ensemble && samples > 0)
        let chart = try plot.map { _ in try ForecastPlot.render(histories: table.values, result: result) }
        if let output {
            try Console.write(Data(csv.utf8), to: output)
            Console.progress("wrote \(output)")
        } else if !json {
            print(csv, terminator: "")
        }
        if let plot, let chart {
            try Console.write(chart, to: plot)
            Console.progress("wrote \(plot)")
        }
        if json {
            let dates = result.timestamps.map { $0.map { Timestamp.format($0) } }
            try Console.printJSON(Output(columns: result.columnNames, dates: dates, forecast: result.point,
                                         lower: result.lower, upper: result.upper))
        }
    }
}
