/// An n-gram used as a document key, with the model's log P(n | q).
public struct NGramKey: Sendable, Equatable, Hashable {
    /// Where a key came from.
    public enum Source: String, Sendable, Codable {
        /// Constrained beam search over passage bodies.
        case body
        /// Constrained beam search over titles (markers included in `tokens`).
        case title
        /// A word n-gram of the query itself (SEAL's "query keys").
        case query
    }

    /// Token ids, as indexed.
    public var tokens: [Int]
    /// log P(n | q) under the generator (unconstrained softmax, length penalty 0).
    public var logProbability: Double
    /// Where it came from.
    public var source: Source
    /// Other surface forms of the same key (the case forms of a case-folded query key, also the
    /// corpus words with its stem for a stemmed one), counted and matched together with
    /// `tokens`; `logProbability` covers them all. No form is a token prefix of another.
    public var variants: [[Int]]

    /// `tokens` and `variants`: every surface form of the key.
    public var forms: [[Int]] { [tokens] + variants }

    /// A key with its tokens, generator log-probability, origin and other surface forms.
    public init(tokens: [Int], logProbability: Double, source: Source, variants: [[Int]] = []) {
        self.tokens = tokens
        self.logProbability = logProbability
        self.source = source
        self.variants = variants
    }
}

/// A matched n-gram in a ranked passage.
public struct MatchedNGram: Sendable, Equatable {
    /// Token ids of the n-gram (for a key with several forms, the form matched first; `spans`
    /// cover every form).
    public var tokens: [Int]
    /// Its contribution to the passage score (after the coverage term and any saturation).
    public var score: Double
    /// Token ranges (in the indexed document, markers included) where it was counted.
    public var spans: [Range<Int>]
}

/// A passage with its SEAL score.
public struct ScoredDocument: Sendable, Equatable {
    /// Document index in the FM-index (= passage index).
    public var document: Int
    /// The aggregated score.
    public var score: Double
    /// The n-grams that made the score, best first.
    public var ngrams: [MatchedNGram]
}
