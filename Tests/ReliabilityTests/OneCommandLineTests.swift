import Foundation
import Testing

/// The five executables as one command line: the same `--version`, the `nexttoken` umbrella
/// running every tool's commands (asynchronous `retrieve serve` included), and `--quiet`.
struct OneCommandLineTests {
    static let tools = ["nexttoken", "icons", "forecast", "images", "retrieve"]

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("one-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func everyExecutablePrintsTheSameVersion() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let versions = try Self.tools.map { tool in
            let result = try ProductRunner.run(tool, ["--version"], scratch: folder)
            #expect(result.status == 0, "\(result)")
            return result.standardOutput
        }
        #expect(Set(versions).count == 1, "\(versions)")
        #expect(versions[0].range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(versions[0])")
    }

    /// `nexttoken retrieve serve` runs the asynchronous command itself (here failing on a
    /// missing index, exactly as `retrieve serve` does) instead of printing help.
    @Test func umbrellaRunsRetrieveIncludingItsAsyncServer() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["serve", "--index", folder.appendingPathComponent("absent").path, "--port", "0"]
        let umbrella = try ProductRunner.run("nexttoken", ["retrieve"] + arguments, scratch: folder)
        let direct = try ProductRunner.run("retrieve", arguments, scratch: folder)
        #expect(umbrella.status != 0 && umbrella.status == direct.status, "\(umbrella)")
        #expect(umbrella.errorLines.count == 1 && umbrella.standardError.contains("absent"), "\(umbrella)")
        #expect(umbrella.standardError == direct.standardError)
        let help = try ProductRunner.run("nexttoken", ["--help"], scratch: folder)
        #expect(help.standardOutput.contains("retrieve"))
    }

    /// `--quiet` leaves stderr empty on success and keeps the one error line of a failure.
    @Test func quietSilencesProgressButNotErrors() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("input.txt")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 8).write(to: text, atomically: true, encoding: .utf8)
        func train(_ output: String, _ extra: [String]) throws -> ProductRunner.Result {
            try ProductRunner.run("nexttoken", ["lm", "train", "--data", text.path, "-o", folder.appendingPathComponent(output).path,
                                                "--steps", "2", "--context", "8", "--batch-size", "2", "--layers", "1", "--hidden-size", "8",
                                                "--heads", "1", "--log-every", "1", "--threads", "1"] + extra, scratch: folder)
        }
        let loud = try train("loud", [])
        #expect(loud.status == 0 && !loud.standardError.isEmpty, "\(loud)")
        let quiet = try train("quiet", ["--quiet"])
        #expect(quiet.status == 0, "\(quiet)")
        #expect(quiet.standardError.isEmpty, "\(quiet)")
        #expect(quiet.standardOutput == loud.standardOutput.replacingOccurrences(of: "/loud", with: "/quiet"))
        let failing = try train("failing", ["--quiet", "--context", "4000"])
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.errorLines.count == 1 && failing.standardError.hasPrefix("error: "), "\(failing)")
    }
}
