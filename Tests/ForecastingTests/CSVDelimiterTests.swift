import ArgumentParser
import ForecastCommands
import Forecasting
import Foundation
import Testing

/// Semicolon- and tab-separated files: the delimiter is detected from the header line (a comma
/// when unclear) or given with `--delimiter`.
@Suite struct CSVDelimiterTests {
    @Test(arguments: [
        ("date,a,b", ","), ("date;a;b", ";"), ("date\ta\tb", "\t"), ("value", ","), ("", ","),
        ("\"a;b\",c", ","),            // quoted separators do not count
        ("\"x,y\";\"z,w\";v", ";"),
        ("a;b,c", ","),                // a tie with the comma keeps the comma
        ("a;b\tc", ","),               // a tie without the comma is unclear: comma
        ("a;b;c,d", ";"),
    ] as [(String, Character)])
    func detectsTheHeadersDelimiter(header: String, expected: Character) {
        #expect(TimeSeriesCSV.detectDelimiter(header: header) == expected)
    }

    @Test func readsSemicolonAndTabFiles() throws {
        for separator in [";", "\t"] {
            let text = ["date", "load", "temp"].joined(separator: separator) + "\n"
                + ["2020-01-01", "1.5", "-2"].joined(separator: separator) + "\n"
                + ["2020-01-02", "2.5", "\"3\""].joined(separator: separator) + "\n"
                + ["2020-01-03", "NA", "4"].joined(separator: separator) + "\n"
            let table = try TimeSeriesCSV.parse(text)
            #expect(table.columnNames == ["load", "temp"], "separator \(separator.debugDescription)")
            #expect(table.values == [[1.5, 2.5, 2.5], [-2, 3, 4]])
            #expect(table.frequency == .days(1))
        }
    }

    @Test func anExplicitDelimiterOverridesDetection() throws {
        // The header ties comma and semicolon, so detection keeps the comma.
        let text = "x,y;z\n1,2;3\n4,5;6\n"
        #expect(try TimeSeriesCSV.parse(text).columnNames == ["x"])
        #expect(try TimeSeriesCSV.parse(text, delimiter: ";").columnNames == ["z"])
        #expect(try TimeSeriesCSV.parse(text, delimiter: ";").values == [[3, 6]])
    }

    @Test func theCommandLineTakesAndChecksDelimiter() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("delimiter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = (0..<200).map { "2020-01-\(String(format: "%02d", $0 / 24 + 1)) \(String(format: "%02d", $0 % 24)):00;\(sin(Double($0) / 4))" }
        let input = directory.appendingPathComponent("semicolons.csv").path
        try ("date;load\n" + rows.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        func evaluate(_ extra: [String]) throws {
            let command = try EvaluateCommand.parse(["--input", input, "--baselines", "--lookback", "24", "--horizons", "4",
                                                     "--split", "ratio", "--json"] + extra)
            try command.run()
        }
        try evaluate([])
        try evaluate(["--delimiter", ";"])
        #expect(throws: ForecastError.self) { try evaluate(["--delimiter", "tab"]) }  // one column: no series
        do {
            _ = try EvaluateCommand.parse(["--input", input, "--baselines", "--delimiter", "::"])
            Issue.record("--delimiter :: was accepted")
        } catch {
            #expect(EvaluateCommand.message(for: error).contains("--delimiter"))
        }
    }
}
