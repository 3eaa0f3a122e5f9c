/// Applies an application constraint given as a closure from the context to the set of
/// tokens allowed next.
///
/// The closure returns `nil` when the context imposes no constraint, or the allowed set
/// otherwise; every other token gets a logit of -inf. An empty set means the context is a
/// dead end: the sampler then throws ``GenerationError/noValidToken(context:)``.
///
/// ```swift
/// // "The last n-gram must occur in the corpus": ask the FM-index which tokens extend it.
/// let inCorpus = ConstraintProcessor { context in
///     Set(index.nextTokens(after: Array(context.suffix(3))))
/// }
/// let result = try generator.generate(
///     prompt: prompt, settings: settings, processors: [LogitsProcessorFactory(inCorpus)])
/// ```
///
/// The closure must be `@Sendable`; keep per-sequence state out of it (see
/// ``LogitsProcessor`` for stateful processors).
public struct ConstraintProcessor: LogitsProcessor {
    private let allowedTokens: @Sendable ([Int]) throws -> Set<Int>?

    /// A processor that allows only `allowedTokens(context)` when it is not `nil`.
    public init(_ allowedTokens: @escaping @Sendable (_ context: [Int]) throws -> Set<Int>?) {
        self.allowedTokens = allowedTokens
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard let allowed = try allowedTokens(context) else { return }
        for i in logits.indices where !allowed.contains(i) { logits[i] = -.infinity }
    }
}
