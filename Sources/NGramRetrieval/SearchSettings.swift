/// Which surface forms of a query word n-gram make up one query key.
public enum QueryKeyForms: String, Sendable, Codable, CaseIterable {
    /// SEAL's: the n-gram as written and with capitalised first letters, each a key of its
    /// own, so a passage with " worship" and " Worship" counts the word twice.
    case asWritten = "as-written"
    /// One key per n-gram pooling its case forms (as written, first letters capitalised or
    /// lowercased): its count, log P(n | q) (a log-sum-exp) and matches pool theirs, as a
    /// lowercasing tokenizer would count them.
    case caseFolded = "case-folded"
    /// As `caseFolded`, and a one-word key also pools every corpus word with the same Snowball
    /// English stem in any case (" represented" with " representing", " Represents"), as the
    /// BM25 peer's stemmer would count them.
    case stemmed
}

/// Settings of one search, with SEAL's defaults where they apply (`SEALSearcher.DEFAULTS`).
public struct SearchSettings: Codable, Sendable, Equatable {
    /// Beams of the constrained body and title searches. Default 10.
    public var beamCount = 10
    /// Length of generated body n-grams (SEAL: 10). Default 10.
    public var bodyLength = 10
    /// Longest generated title, in tokens. Default 16.
    public var titleLength = 16
    /// Generate body n-grams. Default true.
    public var decodeBody = true
    /// Generate titles. Default true.
    public var decodeTitles = true
    /// Add the query's word n-grams as keys. Default true.
    public var queryKeys = true
    /// Longest query word n-gram. Default 3.
    public var queryKeyLength = 3
    /// Keep query keys made only of stopwords (NLTK's list) and punctuation, such as " the"
    /// or " Who was" (SEAL keeps them and lets the generator weigh them). Default true.
    public var stopwordQueryKeys = true
    /// The surface forms pooled into one query key (not in SEAL, except `asWritten`, the
    /// default).
    public var queryKeyForms = QueryKeyForms.asWritten
    /// Scales every generator probability (not in SEAL; default 1): a generated key's
    /// log P(n | q) gains `log(generatorWeight)`, and with ``queryKeyFloor`` a query key's
    /// becomes `log(generatorWeight * P_generator(n | q) + e^floor)`. Below 1 it trusts the
    /// corpus statistics more than a small generator.
    public var generatorWeight = 1.0
    /// An ablation: give every query key this log P(n | q) instead of the generator's, so its
    /// weight depends on its corpus frequency alone (an IDF-like weight). nil (the default):
    /// the generator's. `BENCHMARKS.md` ("retrieve") compares the two.
    public var queryKeyLogProbability: Double?
    /// A copy floor for query keys (not in SEAL): log P(n | q) becomes
    /// `log(P_generator(n | q) + e^floor)`, capped at 0, a mixture of the generator with a
    /// copy distribution over the query's own n-grams, so a rare query word the generator
    /// fails to copy keeps the weight its corpus frequency gives at the floor. nil (the
    /// default): the generator's alone.
    public var queryKeyFloor: Double?
    /// Also use every prefix of a generated body n-gram as a key (SEAL's `keep_history`
    /// does this for titles). Default false.
    public var bodyPrefixes = false
    /// Aggregation and weighting.
    public var scoring = ScoringSettings()

    /// The defaults documented on each field.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case beamCount, bodyLength, titleLength, decodeBody, decodeTitles, queryKeys, queryKeyLength, stopwordQueryKeys,
             queryKeyForms, generatorWeight, queryKeyLogProbability, queryKeyFloor, bodyPrefixes, scoring
    }

    /// Decodes settings; every missing field keeps its default (a `search.json` may give any subset).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        beamCount = try container.decodeIfPresent(Int.self, forKey: .beamCount) ?? beamCount
        bodyLength = try container.decodeIfPresent(Int.self, forKey: .bodyLength) ?? bodyLength
        titleLength = try container.decodeIfPresent(Int.self, forKey: .titleLength) ?? titleLength
        decodeBody = try container.decodeIfPresent(Bool.self, forKey: .decodeBody) ?? decodeBody
        decodeTitles = try container.decodeIfPresent(Bool.self, forKey: .decodeTitles) ?? decodeTitles
        queryKeys = try container.decodeIfPresent(Bool.self, forKey: .queryKeys) ?? queryKeys
        queryKeyLength = try container.decodeIfPresent(Int.self, forKey: .queryKeyLength) ?? queryKeyLength
        stopwordQueryKeys = try container.decodeIfPresent(Bool.self, forKey: .stopwordQueryKeys) ?? stopwordQueryKeys
        queryKeyForms = try container.decodeIfPresent(QueryKeyForms.self, forKey: .queryKeyForms) ?? queryKeyForms
        generatorWeight = try container.decodeIfPresent(Double.self, forKey: .generatorWeight) ?? generatorWeight
        queryKeyLogProbability = try container.decodeIfPresent(Double.self, forKey: .queryKeyLogProbability)
        queryKeyFloor = try container.decodeIfPresent(Double.self, forKey: .queryKeyFloor)
        bodyPrefixes = try container.decodeIfPresent(Bool.self, forKey: .bodyPrefixes) ?? bodyPrefixes
        scoring = try container.decodeIfPresent(ScoringSettings.self, forKey: .scoring) ?? scoring
    }

    /// Throws naming the first setting out of range.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ reason: String) throws {
            if !condition { throw RetrievalError.invalidSetting(field: field, reason: reason) }
        }
        try check(beamCount >= 1 && beamCount <= 100, "beamCount", "must be in 1...100, got \(beamCount)")
        try check(bodyLength >= 1 && bodyLength <= 64, "bodyLength", "must be in 1...64, got \(bodyLength)")
        try check(titleLength >= 1 && titleLength <= 64, "titleLength", "must be in 1...64, got \(titleLength)")
        try check(queryKeyLength >= 1 && queryKeyLength <= 5, "queryKeyLength", "must be in 1...5, got \(queryKeyLength)")
        if let queryKeyLogProbability {
            try check(queryKeyLogProbability <= 0 && queryKeyLogProbability.isFinite, "queryKeyLogProbability",
                      "must be a finite log-probability <= 0, got \(queryKeyLogProbability)")
        }
        if let queryKeyFloor {
            try check(queryKeyFloor <= 0 && queryKeyFloor.isFinite, "queryKeyFloor",
                      "must be a finite log-probability <= 0, got \(queryKeyFloor)")
        }
        try check(generatorWeight > 0 && generatorWeight <= 1, "generatorWeight", "must be in (0, 1], got \(generatorWeight)")
        try check(decodeBody || decodeTitles || queryKeys, "keys", "at least one key source must be on")
        try check(scoring.alpha > 0, "alpha", "must be positive")
        try check((0...1).contains(scoring.beta), "beta", "must be in [0, 1]")
        try check(scoring.termSaturation >= 0 && scoring.termSaturation.isFinite, "termSaturation", "must be >= 0")
        try check((0...1).contains(scoring.lengthNormalization), "lengthNormalization", "must be in [0, 1]")
        try check(scoring.smoothing >= 0, "smoothing", "must be >= 0")
        try check(scoring.maximumOccurrences >= 1 && scoring.documentsToScore >= 1, "maximumOccurrences", "must be >= 1")
    }
}
