import Foundation
import Testing
import TestSupport

/// Issue 10, "bad-input matrix": every command, run as a user runs it, against inputs that
/// are empty, missing, the wrong kind of file, damaged, from another model or format version,
/// not UTF-8, absurdly long, or out of range. Each must end with exactly one line
/// `error: ...` on stderr naming what is wrong, a non-zero exit status (not a signal: no
/// trap, no stack trace), nothing on stdout, and no new file in the working folder. A progress
/// line before the error (a data report) is allowed; a second error or a trace is not.
struct BadInputMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        let tool: String
        let name: String
        /// `S` is replaced by the case's scratch folder, `A` by the repository's assets folder.
        let arguments: [String]
        /// A fragment the error line must contain (the file, option or field at fault).
        let expected: String
        /// Extra preparation in the scratch folder (damaged model copies, long lines).
        var prepare: (@Sendable (URL) throws -> Void)? = nil
        var description: String { "\(tool): \(name)" }
    }

    static let cases: [Case] = IconCases.all + ForecastCases.all + ImageCases.all + RetrieveCases.all + LanguageModelCases.all

    @Test(arguments: cases)
    func badInputGivesOneLineErrorAndNoOutput(_ testCase: Case) throws {
        let scratch = try scratchFolder("\(testCase.tool)-\(testCase.name)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try BadInputFixtures.writeSmallFiles(into: scratch)
        try testCase.prepare?(scratch)
        let before = fileList(scratch)
        let arguments = testCase.arguments.map { argument in
            if argument.hasPrefix("S/") { return scratch.path + argument.dropFirst(1) }
            if argument.hasPrefix("A/") { return BadInputFixtures.assets.path + argument.dropFirst(1) }
            return argument
        }
        let result = try ProductRunner.run(testCase.tool, arguments, scratch: scratch)

        #expect(!result.signalled, "killed by a signal: \(result)")
        #expect(result.status != 0, "succeeded: \(result)")
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault", "#0 0x"] {
            #expect(!result.standardError.contains(marker), "\(marker): \(result)")
        }
        // The error is one line, the last; lines before it may only be progress (such as
        // forecast's data report), never a second error or a trace.
        let errors = result.errorLines.filter { $0.lowercased().hasPrefix("error") }
        #expect(errors.count == 1, "one error line: \(result)")
        #expect(result.errorLines.count <= 2, "at most one progress line before the error: \(result)")
        let line = result.errorLines.last ?? ""
        #expect(line.hasPrefix("error: ") || line.hasPrefix("Error: "), "\(result)")
        #expect(line.contains(testCase.expected), "expected '\(testCase.expected)' in: \(line)")
        #expect(result.standardOutput.isEmpty, "stdout: \(result.standardOutput.prefix(300))")
        let after = fileList(scratch)
        #expect(after == before, "new files: \(Set(after).subtracting(before).sorted())")
    }
}
