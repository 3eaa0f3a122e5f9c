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
/// `NEXTTOKEN_THREADS` environment variable, else all cores).
public struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads for the numeric kernels (default: NEXTTOKEN_THREADS or all cores).")
    public var threads: Int?

    /// No thread count until parsed.
    public init() {}

    /// Rejects a thread count below 1.
    public func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads: must be >= 1, got \(threads)") }
    }

    /// Applies the thread count, if one was given; call first in `run()`.
    public func apply() {
        if let threads { Parallelism.setThreadCount(threads) }
    }
}
