/// What a ``LogitsProcessorFactory`` knows about the sequence it builds processors for.
public struct SequenceInfo: Sendable, Equatable {
    /// Position of the sequence in a batch (0 for single-prompt generation and beam search).
    public var index: Int
    /// The prompt the sequence starts from; `context.count - prompt.count` is the number of
    /// tokens generated so far.
    public var prompt: [Int]

    /// Describes sequence `index` starting from `prompt`.
    public init(index: Int, prompt: [Int]) {
        self.index = index
        self.prompt = prompt
    }
}

/// Builds a fresh ``LogitsProcessor`` for each sequence the generator starts.
///
/// Factories let processors depend on the sequence (the prompt length, for
/// ``MinimumLengthProcessor``) and let stateful, class-based processors get one instance per
/// sequence instead of sharing one across a batch.
///
/// ```swift
/// // Stateless: one value shared by all sequences.
/// let banned = LogitsProcessorFactory(try AllowedTokensProcessor(banned: [0, 1]))
/// // Per sequence: a new instance for each prompt.
/// let minimum = LogitsProcessorFactory { sequence in
///     try MinimumLengthProcessor(minimumNewTokens: 5, stopTokens: [2], promptLength: sequence.prompt.count)
/// }
/// let results = try generator.generate(prompts: prompts, settings: settings, processors: [banned, minimum])
/// ```
public struct LogitsProcessorFactory: Sendable {
    private let make: @Sendable (SequenceInfo) throws -> any LogitsProcessor

    /// A factory calling `make` once per sequence.
    public init(_ make: @escaping @Sendable (SequenceInfo) throws -> any LogitsProcessor) {
        self.make = make
    }

    /// A factory handing the same (stateless) processor to every sequence.
    public init(_ processor: any LogitsProcessor) {
        self.make = { _ in processor }
    }

    /// The processor for `sequence`.
    public func makeProcessor(for sequence: SequenceInfo) throws -> any LogitsProcessor {
        try make(sequence)
    }
}
