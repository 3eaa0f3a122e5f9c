import Foundation
import Testing
import TestSupport

/// Runs the built `nexttoken` executable as a user would, capturing its exit status and
/// both output streams.
///
/// The binary is the one `swift build` / `swift test` put next to the test bundle
/// (`NEXTTOKEN_BINARY` overrides). Every run passes `--threads 1` where the command takes it
/// so parallel tests do not oversubscribe the machine.
struct ToolRunner {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String

        var errorLines: [Substring] { standardError.split(separator: "\n") }
    }

    struct MissingBinary: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "nexttoken executable not found (searched \(searched.joined(separator: ", "))); build it with `swift build --product nexttoken` or set NEXTTOKEN_BINARY"
        }
    }

    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["NEXTTOKEN_BINARY"] { candidates.append(URL(fileURLWithPath: explicit)) }
        for executable in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            var folder = executable.deletingLastPathComponent()
            // macOS runs tests from inside an .xctest bundle: climb out of it.
            while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
            candidates.append(folder.appendingPathComponent("nexttoken"))
        }
        candidates.append(TestFixtures.repositoryRoot.appendingPathComponent(".build/debug/nexttoken"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        throw MissingBinary(searched: candidates.map(\.path))
    }

    /// Runs `nexttoken arguments...` to completion.
    static func run(_ arguments: [String]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputURL = scratch.appendingPathComponent("stdout"), errorURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        let output = try FileHandle(forWritingTo: outputURL), error = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        try output.close()
        try error.close()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
                      standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// Runs and expects success, reporting stderr otherwise.
    static func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let result = try run(arguments)
        #expect(result.status == 0, "nexttoken \(arguments.joined(separator: " ")) failed: \(result.standardError)",
                sourceLocation: sourceLocation)
        return result
    }
}

/// A fresh temporary folder for one test.
func temporaryFolder(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("CommandsTests-\(label.filter { $0.isLetter })-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Hugging Face reference outputs of a fixture folder (see Tests/Fixtures/make_fixtures.py).
struct FixtureReference: Decodable {
    struct Case: Decodable { let input_ids: [Int]; let logits: [[Float]] }
    struct Greedy: Decodable { let input_ids: [Int]; let new_tokens: [Int] }
    let cases: [Case]
    let greedy: Greedy

    static func load(_ folder: String) throws -> FixtureReference {
        try JSONDecoder().decode(FixtureReference.self, from: Data(contentsOf: TestFixtures.url("\(folder)/reference.json")))
    }
}

extension Array where Element == Int {
    /// `1,2,3`, as `--ids` takes it.
    var commaSeparated: String { map(String.init).joined(separator: ",") }
}
