import ArgumentParser

/// `bench`: the project's measurements. Each subcommand prints a table to stderr and, with
/// `--json`, machine-readable results to stdout.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure NextToken's kernels and models (run with -c release).",
        subcommands: [KernelsBenchmark.self, TransformerBenchmark.self, TokenizerBenchmark.self, PrefillBenchmark.self, ImagesBenchmark.self, QuantizeBenchmark.self, SpeculativeBenchmark.self, ContextBenchmark.self, SkipBenchmark.self, IconsBenchmark.self, StructuredBenchmark.self, MultiTokenBenchmark.self, ForecastBenchmark.self, RetrieveBenchmark.self])
}
