@testable import ForecastCommands
import Forecasting
import Foundation
import Testing
import TestSupport

/// `forecast train` and `forecast eval` on a CSV with -9999 sentinels and empty cells score
/// about what they score on the clean file.
@Suite struct MissingValuesCommandTests {
    /// A clean two-series hourly CSV of 300 rows (ratio split: train 0..<210, validation
    /// 210..<240, test 240..<300) and a copy with -9999 in both series (in every part) and empty cells.
    static func files(in directory: URL) throws -> (clean: String, dirty: String) {
        let table = ForecastFixtures.seasonalTable(rows: 300)
        let sentinelsA: Set<Int> = [20, 120, 215, 250, 251, 280], sentinelsB: Set<Int> = [60, 225, 262]
        let emptyA: Set<Int> = [100, 270], emptyB: Set<Int> = [230, 231]
        var clean = "date,a,b\n", dirty = "date,a,b\n"
        for row in 0..<table.length {
            let date = Timestamp.format(table.timestamps![row])
            let (a, b) = ("\(table.values[0][row])", "\(table.values[1][row])")
            clean += "\(date),\(a),\(b)\n"
            let dirtyA = sentinelsA.contains(row) ? "-9999" : emptyA.contains(row) ? "" : a
            let dirtyB = sentinelsB.contains(row) ? "-9999" : emptyB.contains(row) ? "" : b
            dirty += "\(date),\(dirtyA),\(dirtyB)\n"
        }
        let cleanURL = directory.appendingPathComponent("clean.csv"), dirtyURL = directory.appendingPathComponent("dirty.csv")
        try clean.write(to: cleanURL, atomically: true, encoding: .utf8)
        try dirty.write(to: dirtyURL, atomically: true, encoding: .utf8)
        return (cleanURL.path, dirtyURL.path)
    }

    /// Runs `forecast eval arguments --lookback 16 --horizons 4,8`, and returns the averages it
    /// reports, scored again from the table its options read.
    static func evaluate(_ arguments: [String]) throws -> [String: [String: Double]] {
        let command = try EvaluateCommand.parse(arguments + ["--lookback", "16", "--horizons", "4,8"])
        try command.run()
        return try Forecaster.evaluate(
            try command.inputOptions.read(), file: command.inputOptions.input, split: .ratio, lookback: 16, horizons: [4, 8],
            forecaster: try command.model.map { try DefaultModel.load($0) }, baselines: command.baselines).averages
    }

    @Test func trainAndEvalOnSentinelsScoreLikeTheCleanFile() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (clean, dirty) = try Self.files(in: directory)
        var models: [String: String] = [:]
        for (name, file) in [("clean", clean), ("dirty", dirty)] {
            let model = directory.appendingPathComponent("model-\(name)").path
            try TrainCommand.parse(["--data", file, "--output", model, "--segment", "4", "--lookback", "16", "--hidden-size", "16",
                                    "--layers", "1", "--heads", "2", "--steps", "6", "--batch-size", "8", "--validate-every", "3",
                                    "--quiet"]).run()
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model).appendingPathComponent("training-summary.json"))) as? [String: Any]
            let validation = try #require(summary?["bestValidationLoss"] as? Double)
            #expect(validation.isFinite && validation < 10, "\(name): best validation MSE \(validation)")
            models[name] = model
        }
        let options = ["--baselines", "--quiet"]
        let cleanScores = try Self.evaluate(["--data", clean, "--model", models["clean"]!] + options)
        let dirtyScores = try Self.evaluate(["--data", dirty, "--model", models["dirty"]!] + options)
        #expect(Set(dirtyScores.keys) == Set(cleanScores.keys))
        for (method, averages) in cleanScores {
            let (cleanMSE, dirtyMSE) = (averages["mse"]!, dirtyScores[method]!["mse"]!)
            #expect(dirtyMSE.isFinite && abs(dirtyMSE - cleanMSE) <= 0.1 + 0.5 * cleanMSE, "\(method): \(dirtyMSE) vs clean \(cleanMSE)")
        }
        // Dropping the rows instead still scores finitely.
        let dropped = try Self.evaluate(["--data", dirty, "--missing", "drop"] + options)
        #expect(dropped.values.allSatisfy { $0["mse"]!.isFinite && $0["mse"]! < 10 })
    }

    @Test func keepIsMaskedInMetricsAndTraining() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, dirty) = try Self.files(in: directory)
        // eval keeps NaN and leaves the windows holding one out of its metrics (ETT protocol) ...
        let kept = try EvaluateCommand.parse(["--data", dirty, "--baselines", "--missing", "keep", "--lookback", "16", "--horizons", "4,8", "--quiet"])
        try kept.run()
        let keptScores = try Forecaster.evaluate(try kept.inputOptions.read(masksMissing: true), file: dirty, split: .ratio, lookback: 16,
                                                 horizons: [4, 8], forecaster: nil, baselines: true)
        #expect(!keptScores.averages.isEmpty)
        #expect(keptScores.averages.values.allSatisfy { $0["mse"]!.isFinite && $0["mse"]! < 10 }, "\(keptScores.averages)")
        // ... and refuses it where a forecast needs the whole history.
        for extra in [["--protocol", "competition"], ["--band"]] {
            #expect(throws: ForecastError.self) {
                try EvaluateCommand.parse(["--data", dirty, "--baselines", "--missing", "keep", "--lookback", "16", "--horizons", "4", "--quiet"] + extra).run()
            }
        }
        let model = directory.appendingPathComponent("model").path
        try TrainCommand.parse(["--data", dirty, "--missing", "keep", "--output", model, "--segment", "4", "--lookback", "16",
                                "--hidden-size", "16", "--layers", "1", "--heads", "2", "--steps", "4", "--batch-size", "8",
                                "--validate-every", "2", "--quiet"]).run()
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model).appendingPathComponent("training-summary.json"))) as? [String: Any]
        let validation = try #require(summary?["bestValidationLoss"] as? Double)
        #expect(validation.isFinite && validation < 10)
        let forecast = directory.appendingPathComponent("forecast.csv").path
        try PredictCommand.parse(["--data", dirty, "--missing", "keep", "--model", model, "--horizon", "4", "-o", forecast,
                                  "--samples", "0", "--band", "none", "--quiet"]).run()
        let cells = try String(contentsOfFile: forecast, encoding: .utf8).split(separator: "\n").dropFirst()
            .flatMap { $0.split(separator: ",").dropFirst() }
        #expect(cells.count == 8 && cells.allSatisfy { Float($0)?.isFinite == true })
    }
}
