import FMIndex
import Foundation

// SEAL's scoring: Bevilacqua et al. 2022, Section 3.3 (equation for w(n, q)) and Section 3.4
// (intersective scoring), as implemented in `aggregate_evidence` of the released code
// (seal/keys.py): n-gram weights from the conditional against the unconditional n-gram
// probability, a first stage over the rare n-grams' occurrences, then full scoring of the
// best documents with greedy non-overlapping matches and the coverage term.

/// How n-gram weights are aggregated into a document score.
public enum Aggregation: String, Sendable, Codable, CaseIterable {
    /// Plain sum of the weights of the distinct, non-overlapping n-grams a passage contains
    /// (SEAL's scoring with beta = 0).
    case sum
    /// Intersective scoring: each n-gram's weight is scaled by
    /// `1 - beta + beta * |tokens(n) \ covered| / |tokens(n)|`, where `covered` holds the
    /// tokens of the higher-scoring n-grams already counted for the passage.
    case intersective
}

/// Settings of ``SEALScoring``; defaults are SEAL's (`aggregate_evidence`).
public struct ScoringSettings: Codable, Sendable, Equatable {
    /// Aggregation. Default intersective.
    public var aggregation: Aggregation = .intersective
    /// Exponent on the weights. Default 2.
    public var alpha: Double = 2
    /// Coverage strength of intersective scoring. Default 0.8.
    public var beta: Double = 0.8
    /// Added to counts in the unconditional probability. Default 5.
    public var smoothing: Double = 5
    /// n-grams occurring more often only take part in full scoring. Default 1500.
    public var maximumOccurrences = 1500
    /// Documents scored fully after the first stage. Default 500.
    public var documentsToScore = 500

    public init() {}
}

/// Turns scored n-gram keys into a passage ranking.
///
/// ```swift
/// let scoring = SEALScoring(index: fmIndex, documents: documents)
/// let ranked = scoring.rank(keys: keys, settings: ScoringSettings(), limit: 10)
/// ```
public struct SEALScoring: Sendable {
    /// The index that gives n-gram counts and occurrences.
    public let index: FMIndex
    /// Tokens of every document (for full scoring).
    public let documents: [[Int]]

    public init(index: FMIndex, documents: [[Int]]) {
        self.index = index
        self.documents = documents
    }

    /// SEAL's n-gram weight before the exponent:
    /// `max(0, log(P(n|q) (1 - P(n)) / (P(n) (1 - P(n|q)))))` with
    /// `P(n) = (count + smoothing) / (totalTokens + smoothing)`.
    ///
    /// - Parameters:
    ///   - logProbability: log P(n | q); 0 is treated as -1e-10 (as SEAL does) so the odds stay finite.
    ///   - count: occurrences of n in the corpus; 0 gives weight 0.
    public static func weight(logProbability: Double, count: Int, totalTokens: Int, smoothing: Double) -> Double {
        guard count > 0 else { return 0 }
        let conditional = min(logProbability, 0) - 1e-10
        let unconditional = log((Double(count) + smoothing) / (Double(totalTokens) + smoothing))
        let odds = (conditional + log1p(-exp(unconditional))) - (unconditional + log1p(-exp(conditional)))
        return max(odds, 0)
    }

    /// The coverage factor of intersective scoring.
    public static func coverage(of ngram: Set<Int>, covered: Set<Int>, beta: Double) -> Double {
        guard !covered.isEmpty, !ngram.isEmpty else { return 1 }
        return 1 - beta + beta * Double(ngram.subtracting(covered).count) / Double(ngram.count)
    }

    /// The best `limit` documents for `keys`, best first (ties: lower document index).
    public func rank(keys: [NGramKey], settings: ScoringSettings, limit: Int) -> [ScoredDocument] {
        let beta = settings.aggregation == .sum ? 0 : settings.beta
        // Weigh each distinct n-gram once (its best log-probability).
        var best: [[Int]: Double] = [:]
        for key in keys where !key.tokens.isEmpty {
            best[key.tokens] = max(best[key.tokens] ?? -.infinity, key.logProbability)
        }
        var weighted: [(tokens: [Int], score: Double, count: Int)] = []
        for (tokens, logProbability) in best {
            let count = index.count(tokens)
            let weight = pow(Self.weight(logProbability: logProbability, count: count, totalTokens: index.tokenCount,
                                         smoothing: settings.smoothing), settings.alpha)
            if weight > 0 { weighted.append((tokens, weight, count)) }
        }
        weighted.sort { $0.score != $1.score ? $0.score > $1.score : $0.tokens.lexicographicallyPrecedes($1.tokens) }

        // First stage: occurrences of the rare n-grams, non-overlapping, coverage applied.
        var covered: [Int: Set<Int>] = [:]
        var firstStage: [Int: [(tokens: [Int], score: Double)]] = [:]
        for key in weighted where key.count <= settings.maximumOccurrences {
            var done = Set<Int>()
            for occurrence in index.locate(key.tokens, limit: settings.maximumOccurrences) {
                let positions = occurrence.offset..<(occurrence.offset + key.tokens.count)
                let isNew = positions.allSatisfy { !(covered[occurrence.document]?.contains($0) ?? false) }
                guard isNew else { continue }
                covered[occurrence.document, default: []].formUnion(positions)
                if done.insert(occurrence.document).inserted {
                    firstStage[occurrence.document, default: []].append((key.tokens, key.score))
                }
            }
        }
        var firstScores: [(document: Int, score: Double)] = firstStage.map { document, keys in
            var coveredTokens = Set<Int>()
            var total = 0.0
            for key in keys {
                let set = Set(key.tokens)
                total += key.score * Self.coverage(of: set, covered: coveredTokens, beta: beta)
                coveredTokens.formUnion(set)
            }
            return (document, total)
        }
        firstScores.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }

        // Full scoring of the best documents with every weighted n-gram.
        var byFirstToken: [Int: [Int]] = [:]
        for (position, key) in weighted.enumerated() { byFirstToken[key.tokens[0], default: []].append(position) }
        var results = firstScores.prefix(settings.documentsToScore).map { candidate in
            fullScore(document: candidate.document, weighted: weighted, byFirstToken: byFirstToken, beta: beta)
        }
        results.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        return Array(results.prefix(limit))
    }

    /// Greedy non-overlapping matching in one document, best n-gram first.
    func fullScore(document: Int, weighted: [(tokens: [Int], score: Double, count: Int)],
                   byFirstToken: [Int: [Int]], beta: Double) -> ScoredDocument {
        let tokens = documents[document]
        var matches: [(key: Int, start: Int)] = []
        for start in tokens.indices {
            for key in byFirstToken[tokens[start]] ?? [] {
                let ngram = weighted[key].tokens
                if start + ngram.count <= tokens.count && tokens[start..<(start + ngram.count)].elementsEqual(ngram) {
                    matches.append((key, start))
                }
            }
        }
        matches.sort { $0.key != $1.key ? $0.key < $1.key : $0.start < $1.start }  // keys are sorted by score
        var free = [Bool](repeating: true, count: tokens.count)
        var coveredTokens = Set<Int>()
        var ngrams: [MatchedNGram] = []
        var previous: Int?
        for match in matches {
            let key = weighted[match.key]
            let span = match.start..<(match.start + key.tokens.count)
            guard free[span].allSatisfy({ $0 }) else { continue }
            if previous == match.key {
                ngrams[ngrams.count - 1].spans.append(span)
            } else {
                let set = Set(key.tokens)
                let score = key.score * Self.coverage(of: set, covered: coveredTokens, beta: beta)
                guard score > 0 else { continue }
                previous = match.key
                coveredTokens.formUnion(set)
                ngrams.append(MatchedNGram(tokens: key.tokens, score: score, spans: [span]))
            }
            for position in span { free[position] = false }
        }
        return ScoredDocument(document: document, score: ngrams.reduce(0) { $0 + $1.score }, ngrams: ngrams)
    }
}
