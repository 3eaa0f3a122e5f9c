/// Ranking metrics as BEIR reports them.
///
/// recall@k = |relevant in the top k| / |relevant| (with one relevant passage, success@k);
/// MRR@10 = mean of 1 / rank of the first relevant passage, 0 when it ranks below 10.
///
/// ```swift
/// let metrics = RetrievalMetrics(rankings: [["p1", "p2"]], relevant: [["p2"]])
/// metrics.recall[1]   // 0.0
/// metrics.mrrAt10     // 0.5
/// ```
public struct RetrievalMetrics: Codable, Sendable, Equatable {
    /// The cut-offs reported.
    public static let cutoffs = [1, 5, 20, 100]

    /// Queries evaluated.
    public var queryCount: Int
    /// recall@k for each k in ``cutoffs``.
    public var recall: [Int: Double]
    /// MRR@10.
    public var mrrAt10: Double

    /// Computes the metrics; queries without relevant passages are skipped (BEIR does the same).
    public init(rankings: [[String]], relevant: [Set<String>]) {
        precondition(rankings.count == relevant.count, "one ranking per query")
        var recallSums = [Int: Double]()
        var reciprocal = 0.0
        var count = 0
        for (ranking, gold) in zip(rankings, relevant) where !gold.isEmpty {
            count += 1
            for cutoff in Self.cutoffs {
                let found = Set(ranking.prefix(cutoff)).intersection(gold).count
                recallSums[cutoff, default: 0] += Double(found) / Double(gold.count)
            }
            if let position = ranking.prefix(10).firstIndex(where: gold.contains) {
                reciprocal += 1 / Double(position + 1)
            }
        }
        queryCount = count
        recall = Dictionary(uniqueKeysWithValues: Self.cutoffs.map { ($0, count > 0 ? recallSums[$0, default: 0] / Double(count) : 0) })
        mrrAt10 = count > 0 ? reciprocal / Double(count) : 0
    }

    /// Flat JSON-friendly form: `recall@1`, ..., `mrr@10`, `queries`.
    public var dictionary: [String: Double] {
        var result = ["mrr@10": mrrAt10, "queries": Double(queryCount)]
        for (cutoff, value) in recall { result["recall@\(cutoff)"] = value }
        return result
    }
}

/// Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = sum over runs of
/// weight / (k + rank(d)). Used to fuse SEAL with BM25.
///
/// ```swift
/// RankFusion.reciprocal([["a", "b"], ["b", "c"]])   // ["b", "a", "c"]
/// ```
public enum RankFusion {
    /// Fused ranking, best first (ties: first appearance).
    public static func reciprocal(_ runs: [[String]], weights: [Double]? = nil, k: Double = 60) -> [String] {
        var scores: [String: Double] = [:]
        var order: [String: Int] = [:]
        for (run, ranking) in runs.enumerated() {
            let weight = weights?[run] ?? 1
            for (position, id) in ranking.enumerated() {
                scores[id, default: 0] += weight / (k + Double(position + 1))
                if order[id] == nil { order[id] = order.count }
            }
        }
        return scores.keys.sorted { scores[$0]! != scores[$1]! ? scores[$0]! > scores[$1]! : order[$0]! < order[$1]! }
    }
}
