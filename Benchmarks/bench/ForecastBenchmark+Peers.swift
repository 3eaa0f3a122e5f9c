import ArgumentParser
import Forecasting
import Foundation

extension EvaluationProtocol: ExpressibleByArgument {}

/// `bench forecast --peers`: NextToken's forecasters and baselines beside statsforecast
/// (AutoETS, AutoTheta, AutoARIMA, SeasonalNaive) and DLinear/NLinear
/// (`Benchmarks/peers/forecast_peers.py`) on the same windows, all scored by the same Swift code.
///
/// The bench writes the series and the windows to a task file the script reads (its format is
/// at the top of the script), so the two sides cannot disagree on the split: in the ETT
/// protocol the values scaled by the train-fit StandardScaler and `--windows` window starts
/// evenly spaced over the test starts valid for the longest horizon (every system and every
/// horizon uses these starts); in the competition protocol the original values and, per H, the
/// cut before the last H points. The script returns forecasts, not scores.
extension ForecastBenchmark {
    /// One data file's scores: NextToken's methods, the baselines and the peers.
    struct PeerReport: Codable {
        let file: String, `protocol`: EvaluationProtocol, lookback: Int, horizons: [Int]
        /// ETT protocol: the window starts scored, and how many stride-1 windows there are in all.
        let windowStarts: [Int]?, allWindows: Int?
        let scores: [String: [HorizonScore]]
        let averages: [String: [String: Double]]
        /// Wall seconds per method (NextToken's forecasters; each peer as the script timed it).
        let seconds: [String: Double]
        /// statsforecast fits that raised and were replaced by seasonal naive, per peer.
        let fallbacks: [String: Int]
        let peerVersions: [String: String]
        /// Peers that failed as a whole, with the reason.
        let errors: [String: String]
        /// Largest |MSE difference| between statsforecast's SeasonalNaive and NextToken's
        /// seasonal-naive baseline over the horizons: 0 up to float rounding when both sides
        /// forecast the same windows.
        let seasonalNaiveAgreement: Double?
    }

    /// The task's windows, in the format `forecast_peers.py` reads.
    struct PeerTask: Encodable {
        struct Case: Encodable {
            let horizon: Int, horizons: [Int], origins: [Int], fit_window: Int?, lookback: Int, train: [Int], validation: [Int]
        }
        let `protocol`: EvaluationProtocol, values: [[Float]], season_length: Int, seed: Int, cases: [Case]
    }

    /// What the script returns per method: per case, per horizon, forecasts `[origin][series][h]`.
    struct PeerOutput: Decodable {
        struct Entry: Decodable { let point: [[[Float]]]; let lower: [[[Float]]]?; let upper: [[[Float]]]? }
        struct Method: Decodable { let seconds: Double; let fallbacks: Int; let cases: [[String: Entry]] }
        let versions: [String: String], methods: [String: Method], errors: [String: String]
    }

    /// Evenly spaced picks of `count` from `starts` (all of them when there are fewer).
    static func evenlySpaced(_ starts: [Int], count: Int) -> [Int] {
        guard starts.count > count, count > 1 else { return count == 1 ? Array(starts.prefix(1)) : starts }
        return (0..<count).map { starts[$0 * (starts.count - 1) / (count - 1)] }
    }

    /// A failure printed as one line (no usage text).
    struct BenchFailure: Error, CustomStringConvertible { let description: String }

    func runPeers() throws {
        let files = data.isEmpty ? [input] : data
        if peerMethods != "none" { try runPython([peerScript, "--check"]) }
        var reports: [PeerReport] = []
        for file in files { reports.append(try peerReport(file)) }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(reports).write(to: URL(fileURLWithPath: output))
            report("wrote \(output)")
        }
        if json { try Measurement.printJSON(reports) }
    }

    func peerReport(_ file: String) throws -> PeerReport {
        let table = try TimeSeriesCSV.read(path: file)
        let kind = DataSplit.kind(forFile: file)
        let horizons = try horizonList() ?? evaluationProtocol.defaultHorizons(for: table.frequency) ?? {
            throw BenchFailure(description: "\(file) has no timestamps to choose horizons from; give --horizons")
        }()
        let longest = horizons.max()!
        var scores: [String: [HorizonScore]] = [:], seconds: [String: Double] = [:]
        var task: PeerTask
        var starts: [Int]?, allWindows: Int?
        var split: DataSplit?
        var scaled: [[Float]] = []
        switch evaluationProtocol {
        case .ett:
            let parts = try DataSplit.make(kind, length: table.length)
            split = parts
            scaled = StandardScaler(fitting: table.values, rows: parts.train).transform(table.values)
            let every = DataSplit.windowStarts(targets: parts.test, lookback: lookback, horizon: longest)
            guard !every.isEmpty else { throw BenchFailure(description: "\(file): no test window fits lookback \(lookback) + horizon \(longest)") }
            starts = Self.evenlySpaced(every, count: windows)
            allWindows = every.count
            task = PeerTask(protocol: .ett, values: scaled, season_length: table.frequency.seasonalPeriod, seed: Int(seed), cases: [
                .init(horizon: longest, horizons: horizons, origins: starts!, fit_window: lookback, lookback: lookback,
                      train: [parts.train.lowerBound, parts.train.upperBound],
                      validation: [parts.validation.lowerBound, parts.validation.upperBound])])
            report("\(file): ETT protocol, \(starts!.count) of \(every.count) test windows (evenly spaced, valid for H=\(longest)), lookback \(lookback)")
        case .competition:
            let n = table.length
            task = PeerTask(protocol: .competition, values: table.values, season_length: table.frequency.seasonalPeriod, seed: Int(seed),
                            cases: try horizons.map { h in
                let history = try CompetitionEvaluation.heldOut(length: n, horizon: h).history.count
                return .init(horizon: h, horizons: [h], origins: [history], fit_window: nil,
                             lookback: CompetitionEvaluation.linearLookback(lookback, history: history - h, horizon: h),
                             train: [0, history - h], validation: [history - h, history])
            })
            report("\(file): competition protocol, last \(horizons.map(String.init).joined(separator: "/")) points held out, \(table.values.count) series")
        }
        // NextToken: each forecaster, then the baselines.
        let paths = models.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        for path in paths + [""] {
            let forecaster = path.isEmpty ? nil : try Forecaster.load(from: URL(fileURLWithPath: path))
            let begin = Measurement.now()
            let result = try Forecaster.evaluate(table, file: file, split: kind, lookback: lookback, horizons: horizons,
                                                 forecaster: forecaster, baselines: path.isEmpty, protocol: evaluationProtocol,
                                                 windowStarts: starts, band: true, progress: { report("  " + $0) })
            for (name, list) in result.scores {
                let key = path.isEmpty ? name : "\(name) (\(path))"
                scores[key] = list
                if !path.isEmpty { seconds[key] = Measurement.now() - begin }
            }
        }
        // The peers.
        let output = peerMethods == "none" ? PeerOutput(versions: [:], methods: [:], errors: [:]) : try runScript(task)
        for (name, method) in output.methods {
            func entry(_ caseIndex: Int, _ horizon: Int) throws -> PeerOutput.Entry {
                let cases = method.cases
                guard caseIndex < cases.count, let entry = cases[caseIndex][String(horizon)] ?? cases[caseIndex][String(task.cases[caseIndex].horizon)] else {
                    throw BenchFailure(description: "forecast_peers.py: \(name) gave no forecast for H=\(horizon)")
                }
                return entry
            }
            func forecast(_ entry: PeerOutput.Entry, origin: Int, series: Int) -> IntervalForecast {
                IntervalForecast(point: entry.point[origin][series], lower: entry.lower?[origin][series], upper: entry.upper?[origin][series])
            }
            switch evaluationProtocol {
            case .ett:
                let position = Dictionary(uniqueKeysWithValues: starts!.enumerated().map { ($1, $0) })
                scores[name] = try ForecastEvaluation.scoreWithBands(
                    values: scaled, test: split!.test, lookback: lookback, horizons: horizons, starts: starts
                ) { windows, channels, horizon in
                    let found = try entry(0, horizon)
                    return zip(windows, channels).map { forecast(found, origin: position[$0.endIndex]!, series: $1) }
                }
            case .competition:
                scores[name] = try CompetitionEvaluation.score(
                    values: table.values, horizons: horizons, masePeriod: CompetitionProtocol.masePeriod(for: table.frequency)
                ) { histories, horizon in
                    let found = try entry(horizons.firstIndex(of: horizon)!, horizon)
                    return histories.indices.map { forecast(found, origin: 0, series: $0) }
                }
            }
            seconds[name] = method.seconds
        }
        let agreement = scores["SeasonalNaive"].flatMap { peer in
            scores[Baseline.seasonalNaive.rawValue].map { ours in zip(peer, ours).map { abs($0.mse - $1.mse) }.max() ?? 0 }
        }
        let result = PeerReport(file: file, protocol: evaluationProtocol, lookback: lookback, horizons: horizons,
                                windowStarts: starts, allWindows: allWindows, scores: scores,
                                averages: EvaluationReport(file: file, split: kind, lookback: lookback, channels: table.values.count, scores: scores).averages,
                                seconds: seconds, fallbacks: output.methods.mapValues(\.fallbacks), peerVersions: output.versions,
                                errors: output.errors, seasonalNaiveAgreement: agreement)
        printPeerTable(result)
        return result
    }

    /// Runs `forecast_peers.py` on `task`; a missing python3 or package is a one-line error.
    func runScript(_ task: PeerTask) throws -> PeerOutput {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-forecast-peers-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let taskURL = directory.appendingPathComponent("task.json"), outURL = directory.appendingPathComponent("out.json")
        try JSONEncoder().encode(task).write(to: taskURL)
        try runPython([peerScript, taskURL.path, outURL.path] + (peerMethods.map { ["--methods", $0] } ?? []))
        return try JSONDecoder().decode(PeerOutput.self, from: Data(contentsOf: outURL))
    }

    /// Runs `python` with `arguments` and echoes its stderr; a failure throws its `error:` line alone.
    func runPython(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw BenchFailure(description: "cannot run \(python): \(error)") }
        let lines = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = lines.last(where: { $0.hasPrefix("error:") }) ?? lines.last ?? "exit status \(process.terminationStatus)"
            throw BenchFailure(description: process.terminationStatus == 127 ? "\(python) not found (--python)" : last.replacingOccurrences(of: "error: ", with: ""))
        }
        for line in lines { report("  peers: \(line)") }
    }

    func printPeerTable(_ result: PeerReport) {
        let metrics = result.protocol == .ett ? ["mse", "mae", "coverage", "wql"] : ["smape", "mase", "mse", "mae", "coverage", "wql"]
        report("\(result.file): averages over H = \(result.horizons.map(String.init).joined(separator: ", "))")
        report("method".padding(toLength: 34, withPad: " ", startingAt: 0) + metrics.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined() + "seconds")
        let key = metrics[0]
        let order = result.averages.keys.sorted { (result.averages[$0]![key] ?? .infinity) < (result.averages[$1]![key] ?? .infinity) }
        for name in order {
            let average = result.averages[name]!
            let cells = metrics.map { (average[$0].map { String(format: "%.3f", $0) } ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0) }
            report(name.padding(toLength: 34, withPad: " ", startingAt: 0) + cells.joined() + (result.seconds[name].map { String(format: "%.1f", $0) } ?? "-"))
        }
        for (name, reason) in result.errors.sorted(by: { $0.key < $1.key }) { report("\(name): failed: \(reason)") }
        if let agreement = result.seasonalNaiveAgreement {
            report(String(format: "statsforecast SeasonalNaive vs NextToken seasonal-naive: max |MSE difference| %.2g", agreement))
        }
    }
}
