import ForecastCommands
import Forecasting
import Foundation
import Testing
import TestSupport

@Suite struct CommandTests {
    func write(_ text: String, name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func trainPredictAndPlotEndToEnd() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = ForecastFixtures.seasonalTable(rows: 200)
        let rows = (0..<table.length).map { "\(Timestamp.format(table.timestamps![$0])),\(table.values[0][$0]),\(table.values[1][$0])" }
        let input = try write("date,a,b\n" + rows.joined(separator: "\n") + "\n", name: "in.csv", in: directory)
        let model = directory.appendingPathComponent("model").path
        let train = try TrainCommand.parse(["--input", input, "--output", model, "--segment", "4", "--lookback", "16",
                                            "--width", "16", "--layers", "1", "--heads", "2", "--steps", "4", "--batch-size", "4"])
        try train.run()
        let output = directory.appendingPathComponent("out.csv").path, plot = directory.appendingPathComponent("out.png").path
        let predict = try PredictCommand.parse(["--input", input, "--model", model, "--horizon", "10", "-o", output,
                                                "--plot", plot, "--samples", "4"])
        try predict.run()
        let csv = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 11)
        #expect(csv[0] == "date,a,a_lower,a_upper,b,b_lower,b_upper")
        let png = try Data(contentsOf: URL(fileURLWithPath: plot))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func timeLLMTrainsPredictsAndEvaluatesFromTheCommandLine() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        let tokenizer = try ForecastFixtures.tinyTokenizerFolder()
        defer { try? FileManager.default.removeItem(at: directory); try? FileManager.default.removeItem(at: tokenizer) }
        let table = ForecastFixtures.seasonalTable(rows: 120)
        let rows = (0..<table.length).map { "\(Timestamp.format(table.timestamps![$0])),\(table.values[0][$0])" }
        let input = try write("date,a\n" + rows.joined(separator: "\n") + "\n", name: "in.csv", in: directory)
        let model = directory.appendingPathComponent("tllm").path
        let backbone = try TestFixtures.url("gpt2-tiny").path
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--input", input, "--method", "time-llm"]) }
        try TrainCommand.parse(["--input", input, "--output", model, "--method", "time-llm", "--backbone", backbone,
                                "--tokenizer", tokenizer.path, "--lookback", "16", "--train-horizon", "4", "--patch-length", "4",
                                "--patch-stride", "4", "--prototypes", "16", "--prompt-tokens", "8", "--steps", "3",
                                "--batch-size", "4"]).run()
        let configuration = try Forecaster.load(from: URL(fileURLWithPath: model)).configuration
        #expect(configuration.method == .timeLLM && configuration.timeLLM.patchCount == 5)
        let output = directory.appendingPathComponent("out.csv").path
        try PredictCommand.parse(["--input", input, "--model", model, "--horizon", "9", "-o", output, "--samples", "0"]).run()
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 10)
        try EvaluateCommand.parse(["--input", input, "--model", model, "--lookback", "16", "--horizons", "4,8"]).run()
    }

    @Test func badInputsFailClearlyWithoutOutput() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = try write("date,a\n2020-01-01,1\n2020-01-02,x\n", name: "bad.csv", in: directory)
        let output = directory.appendingPathComponent("never.csv").path
        let predict = try PredictCommand.parse(["--input", bad, "--model", directory.path, "--horizon", "3", "-o", output])
        #expect(throws: ForecastError.nonNumericCell(path: bad, line: 3, column: 2, name: "a", text: "x")) { try predict.run() }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(throws: (any Error).self) { try PredictCommand.parse(["--input", bad, "--horizon", "0"]) }
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(["--input", bad]) }
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(["--input", bad, "--baselines", "--horizons", "4,x"]) }
        let good = try write("date,a\n2020-01-01,1\n2020-01-02,2\n", name: "good.csv", in: directory)
        let noModel = try PredictCommand.parse(["--input", good, "--model", directory.path, "--horizon", "3"])
        #expect(throws: ForecastError.self) { try noModel.run() }
    }
}
