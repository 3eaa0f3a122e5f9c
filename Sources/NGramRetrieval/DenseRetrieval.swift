import NeuralNetworks

/// Dense retrieval over an index: its passage embeddings (``DenseIndex``) and the encoder
/// that embeds questions.
///
/// ```swift
/// let dense = try DenseRetrieval(index: retriever.index, encoder: SentenceEncoder(directory: folder))
/// let hits = try dense.rank(["Where did Super Bowl 50 take place?"], limit: 10)[0]
/// ```
public final class DenseRetrieval: Sendable {
    /// The question (and passage) encoder.
    public let encoder: SentenceEncoder
    /// The passage embeddings.
    public let embeddings: DenseIndex

    /// Opens (or makes and stores, once) the embeddings of `index`; see ``DenseIndex/open(index:encoder:progress:)``.
    public init(index: RetrievalIndex, encoder: SentenceEncoder, progress: (String) -> Void = { _ in }) throws {
        self.encoder = encoder
        embeddings = try DenseIndex.open(index: index, encoder: encoder, progress: progress)
    }

    /// The best `limit` passages for `query`: by cosine, or with `hybridWeight`, by
    /// ``HybridRanking`` of the dense and SEAL (`retriever`, `settings`) top ``HybridRanking/depth``.
    public func search(_ query: String, limit: Int, hybridWeight: Double? = nil, retriever: Retriever,
                       settings: SearchSettings) throws -> [SearchHit] {
        guard limit >= 1 else { throw RetrievalError.invalidSetting(field: "k", reason: "must be >= 1, got \(limit)") }
        var ranked = try rank([query], limit: hybridWeight == nil ? limit : max(limit, HybridRanking.depth))[0]
        if let hybridWeight {
            let seal = retriever.rank(evidence: try retriever.evidence(for: query, settings: settings), settings: settings.scoring,
                                      limit: max(limit, HybridRanking.depth))
            ranked = HybridRanking.combine(dense: ranked, seal: seal, weight: hybridWeight, limit: limit)
        }
        return ranked.enumerated().map { retriever.hit($1, rank: $0 + 1) }
    }

    /// The best `limit` passages by cosine for each question, best first.
    public func rank(_ queries: [String], limit: Int = HybridRanking.depth) throws -> [[ScoredDocument]] {
        try embeddings.rank(try encoder.embed(queries), limit: limit)
    }
}
