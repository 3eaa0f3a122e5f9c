import Autograd
import Tensors

/// Set-based prompting (McIlroy-Young et al. 2024, "Set-Based Prompting: Provably Solving the
/// Language Model Order Dependency Problem", section 3): the members of a set are laid out
/// one after another, but every member starts at the same position id and no member can
/// attend to another, so the model cannot tell their order. Tokens after the set see all of
/// it and continue from the position after the longest member.
///
/// In exact arithmetic that makes the output independent of the members' order. In float32
/// the attention sums would still run over the keys in a different order, so
/// ``layout(canonical:)`` also sorts the members (by their token ids): any permutation of
/// the input then gives a bit-identical computation.
public struct SetPrompt: Sendable, Equatable {
    /// Tokens before the set (seen by everything after them).
    public var prefix: [Int]
    /// The set's members, in any order.
    public var members: [[Int]]
    /// Tokens after the set.
    public var suffix: [Int]

    /// A set prompt: `prefix`, then the `members` (sharing start positions, blind to each other), then `suffix`.
    public init(prefix: [Int] = [], members: [[Int]], suffix: [Int] = []) {
        self.prefix = prefix
        self.members = members
        self.suffix = suffix
    }

    /// Tokens, position ids and the additive mask `[1, T, T]` of the prompt.
    ///
    /// - Parameter canonical: sort the members first (bit-identical under permutation).
    public func layout(canonical: Bool = true) throws -> (tokens: [Int], positions: [Int], mask: Tensor) {
        guard !members.isEmpty, members.allSatisfy({ !$0.isEmpty }) else {
            throw ModelError.invalidInput(detail: "a set prompt needs at least one member and no empty members")
        }
        let ordered = canonical ? members.sorted { $0.lexicographicallyPrecedes($1) } : members
        var tokens = prefix, positions = Array(0..<prefix.count)
        // Segment of every token: -1 prefix, i for member i, -2 suffix.
        var segments = [Int](repeating: -1, count: prefix.count)
        let start = prefix.count
        for (index, member) in ordered.enumerated() {
            tokens += member
            positions += start..<(start + member.count)
            segments += [Int](repeating: index, count: member.count)
        }
        let afterSet = start + (ordered.map(\.count).max() ?? 0)
        tokens += suffix
        positions += afterSet..<(afterSet + suffix.count)
        segments += [Int](repeating: -2, count: suffix.count)
        let count = tokens.count
        var values = [Float](repeating: -.infinity, count: count * count)
        for query in 0..<count {
            for key in 0...query {
                let (q, k) = (segments[query], segments[key])
                // Members see the prefix and themselves; everything else is plain causal.
                let visible = q < 0 || k == -1 || k == q
                if visible { values[query * count + key] = 0 }
            }
        }
        return (tokens, positions, Tensor(shape: [1, count, count], values: values))
    }
}

extension DecoderTransformer {
    /// Prefills a set prompt into a fresh cache and returns the logits of its last token.
    /// The cache continues at the position after the prompt, so generation can go on from it.
    public func prefill(_ prompt: SetPrompt, canonical: Bool = true) throws -> (logits: [Float], cache: SequenceCache) {
        let (tokens, positions, mask) = try prompt.layout(canonical: canonical)
        let cache = makeCache(capacity: Swift.max(64, 2 * tokens.count))
        let hidden = try hiddenStates(.tokens([tokens]), positions: [positions], caches: [cache], cacheMasks: [mask])
        let last = try hidden.value.sliced(axis: 1, range: (tokens.count - 1)..<tokens.count)
        let logits = try Tape.withoutGradient { try self.logits(fromHidden: Variable(last)) }.value.scalars
        cache.positionShift = (positions.last! + 1) - tokens.count
        return (logits, cache)
    }
}
