import ArgumentParser
import Commands
import Foundation
import Forecasting

extension EvaluationProtocol: ExpressibleByArgument {}

/// `forecast eval`: the standard long-horizon protocol on the test split, or the competition
/// protocol on the last points of each series.
public struct EvaluateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a forecaster (and baselines): the ETT protocol (train-fit scaler, stride-1 test windows, MSE/MAE on scaled values) or the competition protocol (last H points held out, sMAPE/MASE).")

    @OptionGroup public var inputOptions: InputOptions

    @Option(name: .long, help: "A folder written by `forecast train`; rolled once to every horizon.")
    public var model: String?

    @Option(name: .long, help: "Points of history per window (at most \(Forecaster.maximumLookback)).")
    public var lookback: Int = 672

    @Option(name: .long, help: ArgumentHelp("""
        Comma-separated horizons (each at most \(Forecaster.maximumHorizon)). Default: 96,192,336,720 \
        (ett; 24,36,48,60 for weekly data), or the M4 horizon of the data's frequency (competition: \
        6 yearly, 8 quarterly, 18 monthly, 13 weekly, 14 daily, 48 hourly and finer).
        """, valueName: "h1,h2,..."))
    public var horizons: String?

    @Option(name: .customLong("protocol"), help: ArgumentHelp("""
        ett: stride-1 windows over the test split, MSE/MAE on train-scaled values. competition: for \
        each H the last H points of every series are held out and forecast from all before them; \
        sMAPE (%), MASE (scaled by the in-sample seasonal-naive MAE, period 12 monthly, 4 quarterly, \
        24 hourly, 1 otherwise), MSE/MAE on history-scaled values, and the model's 10-90% band \
        (coverage, weighted quantile loss).
        """, valueName: "ett|competition"))
    public var evaluationProtocol: EvaluationProtocol = .ett

    @Flag(name: .long, help: "Also score repeat-last, seasonal naive and the closed-form linear map.")
    public var baselines = false

    @Flag(name: .long, help: "ETT protocol: also score the model's backtest band (coverage, weighted quantile loss); about nine forecasts per window instead of one. The competition protocol always scores it.")
    public var band = false

    @Option(name: .long, help: "Split rule: auto (ETT by file name, else 70/10/20), ett-hourly, ett-minute, ratio.")
    public var split: SplitOption = .auto

    @Flag(name: .long, help: "Print the report as JSON on stdout.")
    public var json = false

    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    public init() {}

    /// The horizons given, or nil for the protocol's default (which needs the data's frequency).
    func parsedHorizons() throws -> [Int]? {
        guard let horizons else { return nil }
        return try horizons.split(separator: ",").map {
            guard let value = Int($0.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw ValidationError("--horizons: '\($0)' is not a positive integer")
            }
            guard value <= Forecaster.maximumHorizon else {
                throw ValidationError("--horizons: \(value) is above the limit of \(Forecaster.maximumHorizon)")
            }
            return value
        }
    }

    public func validate() throws {
        if !(1...Forecaster.maximumLookback).contains(lookback) {
            throw ValidationError("--lookback must be in 1...\(Forecaster.maximumLookback), got \(lookback)")
        }
        if try parsedHorizons()?.isEmpty == true { throw ValidationError("--horizons needs at least one horizon") }
        if model == nil && !baselines { throw ValidationError("give --model DIR, --baselines, or both") }
    }

    public func run() throws {
        if inputOptions.missing == .keep && (evaluationProtocol == .competition || band) {
            throw ForecastError.invalidArgument(name: "--missing keep", detail: "the competition protocol and --band forecast from whole histories; use --missing interpolate or drop")
        }
        // The ETT protocol leaves every window with a missing value out of its metrics.
        let table = try inputOptions.read(masksMissing: true)
        let forecaster = try model.map { try DefaultModel.load($0) }
        let horizons = try parsedHorizons() ?? defaultHorizons(table.frequency)
        let report = try Forecaster.evaluate(
            table, file: inputOptions.input, split: split.kind(forFile: inputOptions.input), lookback: lookback,
            horizons: horizons, forecaster: forecaster, baselines: baselines, protocol: evaluationProtocol,
            band: band, progress: { Console.progress($0) })
        if json {
            struct Output: Encodable { var report: EvaluationReport; var averages: [String: [String: Double]] }
            try Console.printJSON(Output(report: report, averages: report.averages))
        } else {
            for (method, scores) in report.scores.sorted(by: { $0.key < $1.key }) {
                for score in scores {
                    let metrics = ["mse": score.mse, "mae": score.mae, "smape": score.smape, "mase": score.mase,
                                   "coverage": score.coverage, "wql": score.wql].compactMapValues { $0 }
                    print("\(method)\tH=\(score.horizon)\t" + Self.columns(metrics) + "\twindows \(score.windows)")
                }
                print("\(method)\tavg\t" + Self.columns(report.averages[method]!))
            }
        }
    }

    /// `name value` cells in a fixed order, 4 decimals.
    static func columns(_ metrics: [String: Double]) -> String {
        ["mse", "mae", "smape", "mase", "coverage", "wql"].compactMap { name in
            metrics[name].map { "\(name) \(String(format: "%.4f", $0))" }
        }.joined(separator: "\t")
    }

    /// The default horizons of `--protocol` for data of `frequency`.
    func defaultHorizons(_ frequency: Frequency) throws -> [Int] {
        guard let horizons = evaluationProtocol.defaultHorizons(for: frequency) else {
            throw ForecastError.invalidArgument(name: "--protocol competition", detail: "\(inputOptions.input) has no timestamps to choose a horizon from; give --horizons")
        }
        return horizons
    }
}
