import ArgumentParser

/// The options every trainer has for its run folder: `--resume`, `--max-minutes` and
/// `--checkpoint-every` (hidden older spelling `--checkpoint-interval`, see ``OptionAlias``).
///
/// The checkpoint interval is optional because each tool has its own default: the command
/// applies it in one place.
///
/// ```swift
/// @OptionGroup var run: RunOptions
/// let every = run.checkpointEvery ?? 200
/// let trainingRun = TrainingRun(directory: folder, resume: run.resume, note: Console.progress)
/// configuration.timeLimit = run.timeLimit
/// ```
public struct RunOptions: ParsableArguments {
    @Flag(help: "Continue the run in the run folder from its last complete checkpoint (same step count, schedule and batches); without a checkpoint a new run starts.")
    public var resume = false

    @Option(help: ArgumentHelp("Stop after this many minutes of training, between steps, with a checkpoint; continue with --resume.", valueName: "minutes"))
    public var maxMinutes: Double?

    @Option(name: .customLong("checkpoint-every"),
            help: ArgumentHelp("Write a checkpoint every this many steps and after the last; 0: only after the last (default: 100 for lm and retrieve, 200 for icons, forecast and images).",
                               valueName: "steps"))
    public var checkpointEvery: Int?

    /// The older spelling `--checkpoint-interval` (see ``OptionAlias``).
    @Option(name: .customLong("checkpoint-interval"), help: .hidden) var checkpointEveryAlias: Int?

    /// Not resuming, no time limit, the tool's checkpoint interval until parsed.
    public init() {}

    /// `--max-minutes` in seconds, the unit of `TrainingConfiguration.timeLimit`.
    public var timeLimit: Double? { maxMinutes.map { $0 * 60 } }

    /// Takes the older spelling's value, then rejects a negative checkpoint interval and a
    /// time limit that is not positive and finite.
    public mutating func validate() throws {
        try OptionAlias.merge(&self, \.checkpointEvery, alias: \.checkpointEveryAlias, current: "--checkpoint-every", old: "--checkpoint-interval")
        if let checkpointEvery, checkpointEvery < 0 { throw ValidationError("--checkpoint-every: must be >= 0, got \(checkpointEvery)") }
        if let maxMinutes, !(maxMinutes > 0 && maxMinutes.isFinite) { throw ValidationError("--max-minutes: must be positive, got \(maxMinutes)") }
    }
}
