import Foundation

/// Unbuffered writes to standard output (results) and standard error (progress, errors).
///
/// Results go to stdout and everything else to stderr, so `nexttoken lm logits --json > x.json`
/// captures only the JSON. Writes are unbuffered so streamed tokens appear as they are
/// generated and never interleave out of order with progress lines.
///
/// ```swift
/// Console.writeOutput("hello")          // stdout, no newline added
/// Console.progress("encoded 1200 tokens") // stderr, one line
/// ```
public enum Console {
    /// Writes `text` to standard output as it is.
    public static func writeOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` and a newline to standard output.
    public static func printLine(_ text: String) {
        writeOutput(text + "\n")
    }

    /// Writes `text` to standard error as it is.
    public static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Where ``writeFailure(_:)`` writes: standard error, or its copy kept by
    /// ``silenceStandardError()``. Set once, before the command runs.
    nonisolated(unsafe) private static var failureDescriptor: Int32 = STDERR_FILENO

    /// Sends everything written to standard error from now on to `/dev/null`, except
    /// ``writeFailure(_:)`` (the `--quiet` of every command).
    public static func silenceStandardError() {
        guard failureDescriptor == STDERR_FILENO else { return }
        let copy = dup(STDERR_FILENO)
        let null = open("/dev/null", O_WRONLY)
        guard copy >= 0, null >= 0 else { return }
        dup2(null, STDERR_FILENO)
        close(null)
        failureDescriptor = copy
    }

    /// Writes a failure's message to standard error, even when ``silenceStandardError()`` was called.
    public static func writeFailure(_ text: String) {
        guard failureDescriptor != STDERR_FILENO else { return writeError(text) }
        FileHandle(fileDescriptor: failureDescriptor, closeOnDealloc: false).write(Data(text.utf8))
    }

    /// Writes one progress line to standard error.
    public static func progress(_ line: String) {
        writeError(line + "\n")
    }

    /// Runs `body`, then reports `label` and the seconds it took on standard error when that
    /// was at least `threshold` seconds (quick steps stay quiet).
    ///
    /// ```swift
    /// let model = try Console.timed("loaded model") { try DecoderTransformer.load(from: url) }
    /// // stderr, if loading took a while: "loaded model (2.31 s)"
    /// ```
    public static func timed<T>(_ label: String, threshold: Double = 1, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds >= threshold { progress("\(label) (\(String(format: "%.2f", seconds)) s)") }
        return result
    }
}
