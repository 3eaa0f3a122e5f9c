/// A hybrid of dense and SEAL rankings: a convex combination of min-max normalised scores
/// (Bruch, Gai & Ingber 2023, "An Analysis of Fusion Functions for Hybrid Retrieval").
///
/// Over the candidates, the union of both lists:
///
///     hybrid(d) = w * (cos(d) - min cos) / (max cos - min cos)
///               + (1 - w) * (seal(d) - min seal) / (max seal - min seal)
///
/// where min and max run over each list, and a passage missing from a list counts that
/// list's minimum (normalised 0). Ties go to the better rank in the list of larger weight
/// (dense at w >= 0.5), then in the other. So `w = 1` gives the dense ranking and `w = 0`
/// SEAL's, as far as their lists reach.
///
/// ```swift
/// let fused = HybridRanking.combine(dense: denseTop100, seal: sealTop100, weight: HybridRanking.defaultWeight, limit: 10)
/// ```
public enum HybridRanking {
    /// The dense weight `retrieve query --hybrid` uses, chosen on the training-split questions
    /// (never the held-out ones) of SQuAD with the shipped index; see BENCHMARKS.md.
    public static let defaultWeight = 0.5
    /// Passages taken from each list before fusing.
    public static let depth = 100

    /// The fused ranking, best first; a passage keeps SEAL's matched n-grams when it has them.
    ///
    /// - Parameters:
    ///   - dense: dense hits (scores are cosines), best first.
    ///   - seal: SEAL hits, best first.
    ///   - weight: w in [0, 1], the dense share.
    ///   - limit: passages returned at most.
    public static func combine(dense: [ScoredDocument], seal: [ScoredDocument], weight: Double, limit: Int) -> [ScoredDocument] {
        func normalised(_ list: [ScoredDocument]) -> [Int: (score: Double, rank: Int)] {
            let scores = list.map(\.score)
            guard let low = scores.min(), let high = scores.max() else { return [:] }
            var result: [Int: (score: Double, rank: Int)] = [:]
            for (rank, item) in list.enumerated() where result[item.document] == nil {
                result[item.document] = (high > low ? (item.score - low) / (high - low) : 1, rank)
            }
            return result
        }
        let denseScores = normalised(dense), sealScores = normalised(seal)
        let ngrams = Dictionary(seal.map { ($0.document, $0.ngrams) }, uniquingKeysWith: { first, _ in first })
        var candidates: [(document: Int, score: Double, primary: Int, secondary: Int)] = []
        var seen = Set<Int>()
        for document in (dense + seal).map(\.document) where seen.insert(document).inserted {
            let d = denseScores[document], s = sealScores[document]
            let score = weight * (d?.score ?? 0) + (1 - weight) * (s?.score ?? 0)
            let denseRank = d?.rank ?? Int.max, sealRank = s?.rank ?? Int.max
            candidates.append(weight >= 0.5 ? (document, score, denseRank, sealRank) : (document, score, sealRank, denseRank))
        }
        candidates.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.primary != b.primary { return a.primary < b.primary }
            if a.secondary != b.secondary { return a.secondary < b.secondary }
            return a.document < b.document
        }
        return candidates.prefix(max(limit, 0)).map { ScoredDocument(document: $0.document, score: $0.score, ngrams: ngrams[$0.document] ?? []) }
    }
}

extension ScoredDocument {
    /// A ranked passage without matched n-grams (a dense hit).
    public init(document: Int, score: Double) {
        self.init(document: document, score: score, ngrams: [])
    }
}
