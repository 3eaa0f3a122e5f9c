import ArgumentParser
import Tensors

/// `--seed N`: the seed of every random choice a command makes (initialisation, batches,
/// sampling). The same seed and inputs give the same outputs.
///
/// ```swift
/// struct Sample: ParsableCommand {
///     @OptionGroup var seed: SeedOption
///     func run() throws { var generator = SeededGenerator(seed: seed.seed) }
/// }
/// ```
public struct SeedOption: ParsableArguments {
    @Option(help: "Seed for every random choice (initialisation, batches, sampling); same seed, same result.")
    public var seed: UInt64 = 0

    /// Seed 0 until parsed.
    public init() {}
}

/// `--json`: print the command's results (numbers, tokens) as one JSON document on stdout
/// instead of text for people.
public struct JSONOption: ParsableArguments {
    @Flag(help: "Print results as JSON on stdout.")
    public var json = false

    /// Off until parsed.
    public init() {}
}

/// `--threads N`: threads for the numeric kernels and OpenBLAS (default: the
/// `NEXTTOKEN_THREADS` environment variable, else all cores). ``CommandLineTool`` applies it
/// before the command runs (see ``ProcessOption``).
public struct ThreadsOption: ParsableArguments, ProcessOption, Sendable {
    @Option(help: "Threads for the numeric kernels (default: NEXTTOKEN_THREADS or all cores).")
    public var threads: Int?

    /// No thread count until parsed.
    public init() {}

    /// Rejects a thread count below 1.
    public func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads: must be >= 1, got \(threads)") }
    }

    /// Applies the thread count, if one was given.
    public func apply() {
        if let threads { Parallelism.setThreadCount(threads) }
    }

    /// ``apply()``.
    public func applyToProcess() { apply() }
}

/// `-q/--quiet`: nothing on standard error (progress, timings, warnings) except the one-line
/// error of a failure. Results on standard output are unchanged. ``CommandLineTool`` applies
/// it before the command runs (see ``ProcessOption``).
public struct QuietOption: ParsableArguments, ProcessOption, Sendable {
    @Flag(name: [.customShort("q"), .long], help: "Print nothing on stderr but a failure's one-line error.")
    public var quiet = false

    /// Off until parsed.
    public init() {}

    /// Silences standard error when `--quiet` was given (see ``Console/silenceStandardError()``).
    public func applyToProcess() {
        if quiet { Console.silenceStandardError() }
    }
}

/// An option group that configures the whole process (`--threads`, `--quiet`).
///
/// ``CommandLineTool`` applies every such group declared on the command it parsed (directly
/// or inside another option group), before running it, so a command only declares the group:
///
/// ```swift
/// @OptionGroup var threads: ThreadsOption
/// @OptionGroup var quiet: QuietOption
/// ```
public protocol ProcessOption {
    /// Makes the parsed setting take effect for the rest of the process.
    func applyToProcess()
}

/// An `@OptionGroup` seen through reflection: the parsed group it holds.
protocol ParsedOptionGroup {
    var parsedGroup: Any { get }
}

extension OptionGroup: ParsedOptionGroup {
    var parsedGroup: Any { wrappedValue }
}
