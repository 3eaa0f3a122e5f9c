import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Runs the package's built executables (`icons`, `forecast`, `images`, `retrieve`,
/// `nexttoken`) the way a user does: a child process with captured streams, an exit status,
/// and a deadline after which it is killed (a hang is a failure, not a stuck test run).
///
/// Binaries are found next to the test bundle, as `swift build`/`swift test` lay them out
/// (`NEXTTOKEN_BIN_DIR` overrides the folder).
enum ProductRunner {
    struct Result: CustomStringConvertible {
        let tool: String
        let arguments: [String]
        let status: Int32
        /// True when the process ended by a signal (a trap, SIGKILL, ...), not by exit().
        let signalled: Bool
        let standardOutput: String
        let standardError: String

        var errorLines: [Substring] { standardError.split(separator: "\n", omittingEmptySubsequences: true) }
        var description: String {
            "\(tool) \(arguments.joined(separator: " ")) -> \(signalled ? "signal" : "exit") \(status); stderr: \(standardError.prefix(600))"
        }
    }

    struct MissingBinary: Error, CustomStringConvertible {
        let name: String
        let searched: [String]
        var description: String {
            "\(name) executable not found (searched \(searched.joined(separator: ", "))); build with `swift build` or set NEXTTOKEN_BIN_DIR"
        }
    }

    /// The folder of the built products.
    static func binary(_ name: String) throws -> URL {
        var folders: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["NEXTTOKEN_BIN_DIR"] { folders.append(URL(fileURLWithPath: explicit)) }
        for executable in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            var folder = executable.deletingLastPathComponent()
            while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
            folders.append(folder)
        }
        folders.append(TestFixtures.repositoryRoot.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        throw MissingBinary(name: name, searched: candidates.map(\.path))
    }

    /// Starts `tool arguments...` with stdout/stderr going to files in `scratch`; the caller waits or kills.
    static func start(_ tool: String, _ arguments: [String], scratch: URL, environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        try start(executable: binary(tool), arguments, scratch: scratch, environment: environment)
    }

    /// Starts any program (an installed copy of a tool, a script) the same way.
    static func start(executable: URL, _ arguments: [String], scratch: URL, environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        let tag = UUID().uuidString.prefix(8)
        let outputURL = scratch.appendingPathComponent(".stdout-\(tag)"), errorURL = scratch.appendingPathComponent(".stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        var processEnvironment = ProcessInfo.processInfo.environment
        for (key, value) in environment { processEnvironment[key] = value }
        process.environment = processEnvironment
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, outputURL, errorURL)
    }

    /// Runs to completion (killed after `timeout` seconds) in `scratch` as working directory.
    static func run(_ tool: String, _ arguments: [String], scratch: URL, timeout: Double = 90) throws -> Result {
        try runProgram(binary(tool), arguments, scratch: scratch, timeout: timeout)
    }

    /// Runs any program to completion (killed after `timeout` seconds) in `scratch`.
    static func runProgram(_ executable: URL, _ arguments: [String], scratch: URL, environment: [String: String] = [:],
                           timeout: Double = 90) throws -> Result {
        let tool = executable.lastPathComponent
        let (process, outputURL, errorURL) = try start(executable: executable, arguments, scratch: scratch, environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                Issue.record("\(tool) \(arguments.joined(separator: " ")) did not finish within \(timeout) s (a hang)")
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        return Result(tool: tool, arguments: arguments, status: process.terminationStatus,
                      signalled: process.terminationReason == .uncaughtSignal,
                      standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
                      standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}

/// A fresh temporary folder, removed by the caller with `defer { try? remove(folder) }`.
func scratchFolder(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("ReliabilityTests-\(label.filter { $0.isLetter }.prefix(40))-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every regular file below `folder`, relative paths, sorted (to prove nothing new was written).
func fileList(_ folder: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    return enumerator.compactMap { $0 as? String }.filter { !$0.hasPrefix(".stdout-") && !$0.hasPrefix(".stderr-") }.sorted()
}
