import Forecasting
import Foundation
import Testing

/// A file with one enormous line (a binary or minified file passed by mistake) is refused from
/// its bytes, naming the line, instead of seconds of character splitting (issue 10).
@Suite struct LongLineTests {
    @Test func aLineOverTheLimitIsAnErrorNamingTheLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("long-line-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var data = Data("date,value\n2020-01-01,1\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "7"), count: TimeSeriesCSV.maximumLineBytes + 1))
        try data.write(to: url)
        do {
            _ = try TimeSeriesCSV.read(path: url.path)
            Issue.record("a \(data.count)-byte file with one long line was read")
        } catch {
            #expect("\(error)".contains(".csv:3:"), "\(error)")
            #expect("\(error)".contains("MiB"), "\(error)")
        }
    }

    @Test func linesUpToTheLimitAreRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wide-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let columns = 2000
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<columns).map { String($0) }.joined(separator: ",")
        try (header + "\n" + row + "\r\n" + row).write(to: url, atomically: true, encoding: .utf8)
        let table = try TimeSeriesCSV.read(path: url.path)
        #expect(table.columnNames.count == columns && table.length == 2)
    }
}
