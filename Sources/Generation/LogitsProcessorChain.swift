/// Processors applied in order to one sequence's logits; itself a ``LogitsProcessor``.
///
/// The generator builds one chain per sequence from a list of ``LogitsProcessorFactory``s
/// (see ``GenerationSettings/makeProcessorChain(for:extra:)``), so per-sequence state never
/// leaks between the sequences of a batch.
///
/// ```swift
/// let chain = LogitsProcessorChain([
///     try RepetitionPenaltyProcessor(penalty: 1.2),
///     try TemperatureProcessor(temperature: 0.8),
///     try TopKProcessor(k: 40),
/// ])
/// var logits = modelLogits
/// try chain.process(&logits, context: prompt + generated)
/// ```
public struct LogitsProcessorChain: LogitsProcessor {
    /// The processors, applied first to last.
    public private(set) var processors: [any LogitsProcessor]

    /// A chain applying `processors` first to last.
    public init(_ processors: [any LogitsProcessor] = []) {
        self.processors = processors
    }

    /// A chain with one processor per factory, built for `sequence`.
    public init(factories: [LogitsProcessorFactory], sequence: SequenceInfo) throws {
        self.processors = try factories.map { try $0.makeProcessor(for: sequence) }
    }

    /// Adds `processor` at the end of the chain.
    public mutating func append(_ processor: any LogitsProcessor) {
        processors.append(processor)
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        for processor in processors {
            try processor.process(&logits, context: context)
        }
    }

    /// A chain whose processors are each forked (deep copies of stateful ones).
    public func forked() -> any LogitsProcessor {
        forkedChain()
    }

    /// Like ``forked()`` but keeps the concrete type, for beam search.
    public func forkedChain() -> LogitsProcessorChain {
        LogitsProcessorChain(processors.map { $0.forked() })
    }
}
