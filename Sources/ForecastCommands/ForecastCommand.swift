import ArgumentParser
import Foundation
import Forecasting

/// `forecast`: time-series forecasting with an autoregressive transformer (AutoTimes).
public struct ForecastCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast time series from CSV files with an autoregressive transformer (AutoTimes) or a reprogrammed frozen LLM (Time-LLM).",
        discussion: """
        forecast train --input data.csv --output runs/mine
        forecast predict --input data.csv --horizon 24 -o forecast.csv --plot forecast.png
        forecast eval --input ETTh1.csv --model runs/mine --lookback 672 --horizons 96,192,336,720 --baselines --json
        forecast train --input data.csv --method time-llm --backbone gpt2/ --lookback 512 --train-horizon 96 --output runs/tllm
        """,
        subcommands: [TrainCommand.self, PredictCommand.self, EvaluateCommand.self])

    public init() {}
}

/// Options every subcommand shares for reading a CSV.
public struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "The CSV file (header row, optional date column, numeric columns).")
    public var input: String

    @Option(name: .long, help: "The date column's name or 1-based number (default: detected).")
    public var dateColumn: String?

    @Option(name: .long, help: "Comma-separated series to use, by name or 1-based number (default: every numeric column).")
    public var columns: String?

    public init() {}

    /// Reads the table and reports repairs on stderr.
    func read(path: String? = nil) throws -> TimeSeriesTable {
        let table = try TimeSeriesCSV.read(path: path ?? input, dateColumn: dateColumn,
                                           columns: columns?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        let name = (path ?? input).split(separator: "/").last.map(String.init) ?? input
        Console.note("\(name): \(table.length) rows x \(table.columnNames.count) series, \(table.frequency)")
        for line in table.report.lines { Console.note("\(name): \(line)") }
        return table
    }
}

/// Output helpers: notes to stderr, JSON to stdout, atomic file writes.
enum Console {
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Writes through a temporary file renamed into place, so no half-written output remains.
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do { try data.write(to: url, options: .atomic) } catch {
            throw ForecastError.unreadableFile(path: path, detail: "cannot write (\(error.localizedDescription))")
        }
    }
}

/// Finds the shipped default model: `$NEXTTOKEN_ASSETS/forecast`, `./assets/forecast`, or
/// `assets/forecast` in a folder above the executable.
enum DefaultModel {
    static func directory() -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let root = ProcessInfo.processInfo.environment["NEXTTOKEN_ASSETS"] {
            candidates.append(URL(fileURLWithPath: root).appendingPathComponent("forecast"))
        }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("assets/forecast"))
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("assets/forecast"))
            folder = folder.deletingLastPathComponent()
        }
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent(Forecaster.configurationFileName).path) }
    }

    /// Loads a forecaster for prediction: LoRA adapters are merged into the backbone.
    static func load(_ path: String?) throws -> Forecaster {
        if let path {
            let forecaster = try Forecaster.load(from: URL(fileURLWithPath: path))
            try forecaster.mergeAdapters()
            return forecaster
        }
        guard let directory = directory() else {
            throw ForecastError.invalidModel(path: "assets/forecast", detail: "no default model found; pass --model DIR (a folder written by `forecast train`) or set NEXTTOKEN_ASSETS")
        }
        Console.note("model: \(directory.path)")
        return try Forecaster.load(from: directory)
    }
}


/// The split rule named on the command line.
public enum SplitOption: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, ettHourly = "ett-hourly", ettMinute = "ett-minute", ratio

    func kind(forFile path: String) -> DataSplit.Kind {
        switch self {
        case .auto: return DataSplit.kind(forFile: path)
        case .ettHourly: return .ettHourly
        case .ettMinute: return .ettMinute
        case .ratio: return .ratio
        }
    }
}

extension ForecasterConfiguration.EmbeddingKind: ExpressibleByArgument {}
extension ForecastMethod: ExpressibleByArgument {}
