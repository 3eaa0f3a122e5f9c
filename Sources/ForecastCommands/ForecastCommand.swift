import ArgumentParser
import Commands
import FileIO
import Foundation
import Forecasting

/// `forecast`: time-series forecasting with an autoregressive transformer (AutoTimes).
public struct ForecastCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast time series from CSV files with an autoregressive transformer (AutoTimes) or a reprogrammed frozen LLM (Time-LLM).",
        discussion: """
        forecast train --data data.csv --output runs/mine
        forecast predict --data data.csv --horizon 24 -o forecast.csv --plot forecast.png
        forecast eval --data ETTh1.csv --model runs/mine --lookback 672 --horizons 96,192,336,720 --baselines --json
        forecast train --data data.csv --method time-llm --backbone gpt2/ --lookback 512 --train-horizon 96 --output runs/tllm
        """,
        version: NextTokenVersion.string,
        subcommands: [TrainCommand.self, PredictCommand.self, EvaluateCommand.self])

    public init() {}
}

/// Options every subcommand shares for reading a CSV.
public struct InputOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The CSV file (header row, optional date column, numeric columns; required).", valueName: "file.csv"))
    var data: String?

    @Option(name: .long, help: "The date column's name or 1-based number (default: detected).")
    public var dateColumn: String?

    @Option(name: .long, help: "Comma-separated series to use, by name or 1-based number (default: every numeric column).")
    public var columns: String?

    @Option(name: .long, help: "Field separator: ',', ';', '|' or 'tab' (default: detected from the header line; ',' when unclear).")
    public var delimiter: String?

    @Option(name: .long, help: """
        What to do with missing values (empty cells, NA/NaN/null/- tokens, and round 9s sentinels \
        such as -9999 far outside their column's values): interpolate (linearly between neighbours, \
        the nearest value at the ends), drop (every row with one in a used column; the rows left \
        are read as consecutive steps) or keep (NaN: train and validation skip every window that \
        holds one, predict fills them, eval leaves such windows out of its metrics in the ETT protocol). Each column's missing values are \
        reported on stderr.
        """)
    public var missing: MissingPolicy = .interpolate

    /// The older spelling `--input` (see ``OptionAlias``).
    @Option(name: .customLong("input"), help: .hidden) var inputAlias: String?

    /// The CSV file (`--data`).
    public var input: String { data ?? "" }

    public init() {}

    /// Takes `--input`'s value, requires `--data` and checks `--delimiter`.
    public mutating func validate() throws {
        try OptionAlias.merge(&self, \.data, alias: \.inputAlias, current: "--data", old: "--input")
        guard data != nil else { throw ValidationError("Missing expected argument '--data <file.csv>'") }
        _ = try fieldDelimiter()
    }

    /// `--delimiter` as a character (`tab` or `\t` name the tab), `nil` to detect it.
    func fieldDelimiter() throws -> Character? {
        switch delimiter {
        case nil: return nil
        case "tab", "\\t", "\t": return "\t"
        case ",", ";", "|": return delimiter.map { Character($0) }
        case let other?: throw ValidationError("--delimiter must be ',', ';', '|' or 'tab', got '\(other)'")
        }
    }

    /// Reads the table and reports its missing values and repairs on stderr.
    ///
    /// - Parameter masksMissing: whether the caller keeps NaNs out of every loss and metric
    ///   (``MissingPolicy/keep``); when false, `--missing keep` is an error.
    func read(path: String? = nil, masksMissing: Bool = false) throws -> TimeSeriesTable {
        if missing == .keep && !masksMissing {
            throw ForecastError.invalidArgument(name: "--missing keep", detail: "this command does not mask missing values in its metrics; use --missing interpolate or drop")
        }
        let table = try TimeSeriesCSV.read(path: path ?? input, dateColumn: dateColumn,
                                           columns: columns?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) },
                                           delimiter: try fieldDelimiter(), missing: missing)
        let name = (path ?? input).split(separator: "/").last.map(String.init) ?? input
        Console.progress("\(name): \(table.length) rows x \(table.columnNames.count) series, \(table.frequency)")
        for line in table.report.lines { Console.progress("\(name): \(line)") }
        return table
    }
}

/// The forecast commands' output helpers over the shared `Console`: JSON to stdout, checks
/// and atomic writes of output files with `ForecastError`s.
extension Console {
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Throws unless a file can be created at `path`: it is not a folder, and a probe file can
    /// be created (and is removed) beside it. Permission bits alone say nothing for root.
    static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ForecastError.unreadableFile(path: path, detail: "cannot write (is a folder)")
        }
        let probe = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).probe-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: probe.path, contents: nil) else {
            throw ForecastError.unreadableFile(path: path, detail: "cannot write (cannot create a file in \(url.deletingLastPathComponent().path))")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Writes atomically (`FileIO.AtomicWrite`), so no half-written output remains.
    static func write(_ data: Data, to path: String) throws {
        do { try FileIO.AtomicWrite.data(data, to: URL(fileURLWithPath: path)) } catch let error as FileIOError {
            throw ForecastError.unreadableFile(path: path, detail: "cannot write (\(error.reason))")
        }
    }
}

/// The shipped default forecaster (found by ``ShippedModels``) or a trained one.
enum DefaultModel {
    /// Loads a forecaster for prediction: LoRA adapters are merged into the backbone.
    static func load(_ path: String?) throws -> Forecaster {
        if let path {
            let forecaster = try Forecaster.load(from: URL(fileURLWithPath: path))
            try forecaster.mergeAdapters()
            return forecaster
        }
        let directory = try ShippedModels.folder("forecast", marker: Forecaster.configurationFileName)
        Console.progress("model: \(directory.path)")
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
extension MissingPolicy: ExpressibleByArgument {}
extension ForecastMethod: ExpressibleByArgument {}
