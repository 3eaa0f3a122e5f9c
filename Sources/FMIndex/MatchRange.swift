// The handle a search keeps between steps: a suffix-array interval plus the n-gram length.
//
// Backward search (Ferragina & Manzini, "Opportunistic data structures with applications",
// FOCS 2000, Section 3.1) narrows one interval per symbol. Because FMIndex stores every
// document reversed (as SEAL does: Bevilacqua et al. 2022, Section 3.2), one backward step
// appends a token on the right of the caller's left-to-right n-gram, so a beam search can
// keep one MatchRange per beam and extend it token by token instead of searching again.

/// The rows of an ``FMIndex`` whose suffixes start with one n-gram.
///
/// Obtain one with ``FMIndex/range(of:)`` or ``FMIndex/fullRange``, then grow it with
/// ``FMIndex/extend(_:with:)``:
/// ```swift
/// var range = index.fullRange
/// for token in [17, 4, 99] { range = index.extend(range, with: token) }
/// print(range.count)   // occurrences of [17, 4, 99]
/// ```
public struct MatchRange: Hashable, Sendable {
    /// First row of the interval.
    public let lower: Int
    /// One past the last row of the interval.
    public let upper: Int
    /// Number of tokens in the matched n-gram.
    public let length: Int

    /// Creates a range; `upper` is clamped to at least `lower`.
    public init(lower: Int, upper: Int, length: Int) {
        self.lower = lower
        self.upper = max(lower, upper)
        self.length = length
    }

    /// Number of occurrences of the n-gram.
    public var count: Int { upper - lower }

    /// Whether the n-gram does not occur.
    public var isEmpty: Bool { upper <= lower }
}

/// A token that follows an n-gram somewhere in the corpus, as reported by
/// ``FMIndex/nextTokens(after:)-(MatchRange)``.
public struct TokenContinuation: Hashable, Sendable {
    /// The next token id.
    public let token: Int
    /// How often the n-gram is followed by `token`: the count of the extended n-gram.
    public let count: Int
    /// The range of the extended n-gram, equal to `extend(range, with: token)`.
    public let range: MatchRange

    /// Creates a continuation; ``FMIndex`` makes these, tests and callers may compare them.
    public init(token: Int, count: Int, range: MatchRange) {
        self.token = token
        self.count = count
        self.range = range
    }
}
