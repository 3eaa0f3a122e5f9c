import ArgumentParser
import Foundation

/// Runs a root command the way every NextToken executable does: parse, run, and on failure
/// print exactly one line `error: <message>` to standard error and exit non-zero.
///
/// ArgumentParser's own `main()` prints usage text after validation errors and the raw
/// `description` of thrown errors; this runner keeps help and `--version` output as they are
/// but reduces every failure to one line naming the option, file or field at fault (see
/// ``ErrorMessage``), with no stack trace. Exit codes: 64 for bad command-line input
/// (ArgumentParser's `EX_USAGE`), 1 for failures while running.
///
/// ```swift
/// // Sources/forecast/main.swift
/// import Commands
/// import ForecastCommands
/// CommandLineTool.main(ForecastCommand.self)
/// ```
public enum CommandLineTool {
    /// The outcome of one invocation, for callers that must not exit (tests, embedding).
    public struct Outcome: Sendable, Equatable {
        /// The process exit status the invocation maps to: 0 on success.
        public var exitCode: Int32
        /// The one-line error message (without the `error: ` prefix), when it failed.
        public var errorMessage: String?
    }

    /// Parses `arguments` (default: the process arguments), runs the command and exits.
    public static func main<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) -> Never {
        let outcome = execute(root, arguments: arguments, reportErrors: true)
        exit(outcome.exitCode)
    }

    /// Parses and runs a command without exiting the process.
    ///
    /// - Parameters:
    ///   - arguments: the words after the executable's name; nil reads `CommandLine.arguments`.
    ///   - reportErrors: also write `error: <message>` to standard error (and help text to
    ///     standard output when help was requested), and apply the command's process-wide
    ///     options (`--threads`, `--quiet`; see ``ProcessOption``) as the executable does.
    /// - Returns: the exit code and, on failure, the one-line message.
    ///
    /// ```swift
    /// let outcome = CommandLineTool.execute(LanguageModelCommand.self, arguments: ["logits"])
    /// // outcome.exitCode == 64, outcome.errorMessage == "Missing expected argument '--model <dir>'"
    /// ```
    @discardableResult
    public static func execute<Root: ParsableCommand>(
        _ root: Root.Type, arguments: [String]? = nil, reportErrors: Bool = false
    ) -> Outcome {
        var command: ParsableCommand
        switch parse(root, arguments: arguments, reportErrors: reportErrors) {
        case .command(let parsed): command = parsed
        case .finished(let outcome): return outcome
        }
        if reportErrors { applyProcessOptions(of: command) }
        do {
            try command.run()
            return Outcome(exitCode: 0, errorMessage: nil)
        } catch {
            return outcome(of: error, root: root, reportErrors: reportErrors)
        }
    }

    private enum Parsed {
        case command(ParsableCommand)
        case finished(Outcome)
    }

    /// Parses the arguments; help and parse errors finish here (help printed, errors as one line).
    private static func parse<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]?, reportErrors: Bool) -> Parsed {
        do {
            return .command(try Root.parseAsRoot(arguments))
        } catch {
            let code = Root.exitCode(for: error)
            if code == .success {
                // --help, --version, CleanExit: ArgumentParser prints them as it always does.
                if reportErrors { Console.writeOutput(Root.fullMessage(for: error) + "\n") }
                return .finished(Outcome(exitCode: 0, errorMessage: nil))
            }
            return .finished(fail(ErrorMessage.oneLine(Root.message(for: error)), code: code.rawValue, report: reportErrors))
        }
    }

    /// The outcome of an error thrown while a command ran.
    private static func outcome<Root: ParsableCommand>(of error: any Error, root: Root.Type, reportErrors: Bool) -> Outcome {
        if let code = error as? ExitCode { return Outcome(exitCode: code.rawValue, errorMessage: nil) }
        if Root.exitCode(for: error) == .success {
            // A command group run without a subcommand asks for its help this way.
            if reportErrors { Console.writeOutput(Root.fullMessage(for: error) + "\n") }
            return Outcome(exitCode: 0, errorMessage: nil)
        }
        return fail(ErrorMessage.describe(error), code: ExitCode.failure.rawValue, report: reportErrors)
    }

    /// `main` for a root with asynchronous subcommands (a server): the same one-line errors
    /// and exit codes.
    public static func mainAsync<Root: AsyncParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) async -> Never {
        var command: ParsableCommand
        switch parse(root, arguments: arguments, reportErrors: true) {
        case .command(let parsed): command = parsed
        case .finished(let outcome): exit(outcome.exitCode)
        }
        applyProcessOptions(of: command)
        do {
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            exit(outcome(of: error, root: root, reportErrors: true).exitCode)
        }
    }

    /// Applies the ``ProcessOption`` groups (`--threads`, `--quiet`) of a parsed command, or of
    /// an option group inside it, to this process.
    private static func applyProcessOptions(of arguments: Any) {
        (arguments as? any ProcessOption)?.applyToProcess()
        for child in Mirror(reflecting: arguments).children {
            if let group = child.value as? any ParsedOptionGroup { applyProcessOptions(of: group.parsedGroup) }
        }
    }

    private static func fail(_ message: String, code: Int32, report: Bool) -> Outcome {
        if report { Console.writeFailure("error: \(message)\n") }
        return Outcome(exitCode: code == 0 ? 1 : code, errorMessage: message)
    }
}
