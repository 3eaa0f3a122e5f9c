/// Rewrites a sequence's next-token logits before sampling: masks, penalties, scaling.
///
/// A processor sees the raw logits of one sequence (`vocabularySize` floats) and the
/// `context` they continue: the prompt followed by every token generated so far. It edits
/// the logits in place; setting an entry to `-Float.infinity` forbids that token.
///
/// Processors are small values that reject bad parameters by throwing in `init`, so a
/// mistyped setting fails before the model runs.
///
/// ```swift
/// struct NoDigitsProcessor: LogitsProcessor {
///     let digitTokens: [Int]
///     func process(_ logits: inout [Float], context: [Int]) throws {
///         for token in digitTokens { logits[token] = -.infinity }
///     }
/// }
/// ```
///
/// ## Per-sequence state
///
/// Most processors are stateless: everything they need is in `context`. One that keeps
/// incremental state (say a grammar parser that advances one token per call) must not be
/// shared between sequences. Write it as a `final class` (marked `@unchecked Sendable`: the
/// generator calls one instance from one thread at a time) and hand the generator a
/// ``LogitsProcessorFactory`` so that every sequence gets its own instance:
///
/// ```swift
/// final class GrammarProcessor: LogitsProcessor, @unchecked Sendable {
///     private var parser = SVGPathParser()
///     private var consumed = 0
///     func process(_ logits: inout [Float], context: [Int]) throws {
///         for token in context[consumed...] { parser.advance(token) }   // only the new tokens
///         consumed = context.count
///         for token in logits.indices where !parser.accepts(token) { logits[token] = -.infinity }
///     }
///     func forked() -> any LogitsProcessor {
///         let copy = GrammarProcessor(); copy.parser = parser; copy.consumed = consumed
///         return copy
///     }
/// }
/// let grammar = LogitsProcessorFactory { _ in GrammarProcessor() }
/// let result = try generator.generate(prompt: prompt, settings: settings, processors: [grammar])
/// ```
///
/// Beam search forks a beam's processors together with its model state by calling
/// ``forked()``; stateful processors return a deep copy there.
public protocol LogitsProcessor: Sendable {
    /// Edits `logits` (one entry per vocabulary token) for the sequence `context`
    /// (prompt + generated tokens so far).
    ///
    /// - Throws: a ``GenerationError`` (or the application's own error) when the sequence
    ///   cannot be continued; the generator stops and rethrows it.
    func process(_ logits: inout [Float], context: [Int]) throws

    /// An independent processor for a forked sequence (beam search splits one beam into
    /// several). Values and stateless classes return `self`, the default.
    func forked() -> any LogitsProcessor
}

extension LogitsProcessor {
    /// Stateless processors are safe to share between forks.
    public func forked() -> any LogitsProcessor { self }
}
