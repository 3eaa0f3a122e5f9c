import ArgumentParser
import Commands
import Foundation
import Forecasting

/// `forecast eval`: the standard long-horizon protocol on the test split.
public struct EvaluateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a forecaster (and baselines) on the test split: train-fit scaler, stride-1 windows, MSE/MAE on scaled values.")

    @OptionGroup public var inputOptions: InputOptions

    @Option(name: .long, help: "A folder written by `forecast train`; rolled once to every horizon.")
    public var model: String?

    @Option(name: .long, help: "Points of history per window (at most \(Forecaster.maximumLookback)).")
    public var lookback: Int = 672

    @Option(name: .long, help: "Comma-separated horizons (each at most \(Forecaster.maximumHorizon)).")
    public var horizons: String = "96,192,336,720"

    @Flag(name: .long, help: "Also score repeat-last, seasonal naive and the closed-form linear map.")
    public var baselines = false

    @Option(name: .long, help: "Split rule: auto (ETT by file name, else 70/10/20), ett-hourly, ett-minute, ratio.")
    public var split: SplitOption = .auto

    @Flag(name: .long, help: "Print the report as JSON on stdout.")
    public var json = false

    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    public init() {}

    func parsedHorizons() throws -> [Int] {
        try horizons.split(separator: ",").map {
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
        if try parsedHorizons().isEmpty { throw ValidationError("--horizons needs at least one horizon") }
        if model == nil && !baselines { throw ValidationError("give --model DIR, --baselines, or both") }
    }

    public func run() throws {
        let table = try inputOptions.read()
        let forecaster = try model.map { try DefaultModel.load($0) }
        let report = try Forecaster.evaluate(
            table, file: inputOptions.input, split: split.kind(forFile: inputOptions.input), lookback: lookback,
            horizons: try parsedHorizons(), forecaster: forecaster, baselines: baselines, progress: { Console.progress($0) })
        if json {
            struct Output: Encodable { var report: EvaluationReport; var averages: [String: [String: Double]] }
            try Console.printJSON(Output(report: report, averages: report.averages))
        } else {
            for (method, scores) in report.scores.sorted(by: { $0.key < $1.key }) {
                for score in scores {
                    print("\(method)\tH=\(score.horizon)\tmse \(String(format: "%.4f", score.mse))\tmae \(String(format: "%.4f", score.mae))\twindows \(score.windows)")
                }
                let average = report.averages[method]!
                print("\(method)\tavg\tmse \(String(format: "%.4f", average["mse"]!))\tmae \(String(format: "%.4f", average["mae"]!))")
            }
        }
    }
}
