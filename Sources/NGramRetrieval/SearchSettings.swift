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
    /// Also use every prefix of a generated body n-gram as a key (SEAL's `keep_history`
    /// does this for titles). Default false.
    public var bodyPrefixes = false
    /// Aggregation and weighting.
    public var scoring = ScoringSettings()

    /// The defaults documented on each field.
    public init() {}

    /// Throws naming the first setting out of range.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ reason: String) throws {
            if !condition { throw RetrievalError.invalidSetting(field: field, reason: reason) }
        }
        try check(beamCount >= 1 && beamCount <= 100, "beamCount", "must be in 1...100, got \(beamCount)")
        try check(bodyLength >= 1 && bodyLength <= 64, "bodyLength", "must be in 1...64, got \(bodyLength)")
        try check(titleLength >= 1 && titleLength <= 64, "titleLength", "must be in 1...64, got \(titleLength)")
        try check(queryKeyLength >= 1 && queryKeyLength <= 5, "queryKeyLength", "must be in 1...5, got \(queryKeyLength)")
        try check(decodeBody || decodeTitles || queryKeys, "keys", "at least one key source must be on")
        try check(scoring.alpha > 0, "alpha", "must be positive")
        try check((0...1).contains(scoring.beta), "beta", "must be in [0, 1]")
        try check(scoring.smoothing >= 0, "smoothing", "must be >= 0")
        try check(scoring.maximumOccurrences >= 1 && scoring.documentsToScore >= 1, "maximumOccurrences", "must be >= 1")
    }
}
