/// Everything that controls one generation run, as a `Codable` value with documented defaults.
///
/// Settings turn into a ``Sampler`` plus a ``LogitsProcessorChain`` per sequence
/// (``makeSampler(sequenceIndex:)``, ``makeProcessorChain(for:extra:)``); ``validate(vocabularySize:)``
/// rejects bad values with an error naming the field. JSON presets may omit any field: the
/// missing ones take the defaults below, and unknown keys (typos) are rejected.
///
/// ```swift
/// var settings = GenerationSettings()
/// settings.temperature = 0.8
/// settings.topP = 0.95
/// settings.stopTokens = [eosToken]
/// settings.seed = 42
/// let result = try TokenGenerator(model: model).generate(prompt: prompt, settings: settings)
///
/// // or from a preset file: {"mode": "beamSearch", "beamCount": 4, "lengthPenalty": 0.6}
/// let preset = try JSONDecoder().decode(GenerationSettings.self, from: data)
/// ```
public struct GenerationSettings: Codable, Equatable, Sendable {
    /// How the next token is chosen.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Draw from the processed distribution (temperature, top-k, top-p) with a seeded generator.
        case sampling
        /// Always take the most likely token; temperature, top-k and top-p are ignored.
        case greedy
        /// Keep the `beamCount` best partial sequences (see ``BeamSearch``).
        case beamSearch
    }

    /// How the next token is chosen. Default `.sampling`.
    public var mode: Mode = .sampling
    /// Most tokens to generate per sequence (the stop token not included). Default 128.
    public var maxNewTokens: Int = 128
    /// Tokens to generate before a stop token may appear. Default 0.
    public var minNewTokens: Int = 0
    /// Softmax temperature for `.sampling`, > 0; 0 is only meaningful as greedy, so it is an
    /// error unless `mode` is `.greedy`. Default 1.
    public var temperature: Float = 1
    /// Keep only the k most likely tokens when sampling; `nil` disables. Default `nil`.
    public var topK: Int? = nil
    /// Nucleus mass in (0, 1] when sampling; `nil` disables. Default `nil`.
    public var topP: Float? = nil
    /// CTRL repetition penalty, > 0; 1 disables. Applies in every mode. Default 1.
    public var repetitionPenalty: Float = 1
    /// Tokens that end a sequence; the stop token is not part of the result. Default none.
    public var stopTokens: [Int] = []
    /// Tokens that may never be generated. Default none.
    public var bannedTokens: [Int] = []
    /// Seed of the sampling stream; sequence `i` of a batch uses `seed + i`. Default 0.
    public var seed: UInt64 = 0
    /// Beams kept by `.beamSearch`, >= 1. Default 4.
    public var beamCount: Int = 4
    /// Hypotheses returned by beam search, in 1...beamCount. Default 1.
    public var hypothesisCount: Int = 1
    /// Exponent alpha of the length normalisation score / length^alpha in beam search;
    /// 0 ranks by raw log-probability, larger values favour longer hypotheses. Default 1.
    public var lengthPenalty: Float = 1

    /// Default settings: sampling at temperature 1, 128 new tokens, seed 0.
    public init() {}

    /// The seed of sequence `sequenceIndex` of a batch: `seed + sequenceIndex` (wrapping).
    ///
    /// `SeededGenerator` mixes its seed through SplitMix64, so neighbouring seeds give
    /// unrelated streams, and generating prompt `i` alone with `seed + i` reproduces it.
    public func seed(forSequence sequenceIndex: Int) -> UInt64 {
        seed &+ UInt64(truncatingIfNeeded: sequenceIndex)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case mode, maxNewTokens, minNewTokens, temperature, topK, topP, repetitionPenalty
        case stopTokens, bannedTokens, seed, beamCount, hypothesisCount, lengthPenalty
    }

    /// Any key, to list what a JSON object actually holds.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes settings, taking the default for every missing field.
    ///
    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` for an unknown key, so a
    ///   typo such as `"temprature"` is not silently ignored; `DecodingError` for a field of
    ///   the wrong type.
    public init(from decoder: any Decoder) throws {
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        let all = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw GenerationError.invalidSetting(
                field: unknown, reason: "unknown setting; known: \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = GenerationSettings()
        mode = try container.decodeIfPresent(Mode.self, forKey: .mode) ?? defaults.mode
        maxNewTokens = try container.decodeIfPresent(Int.self, forKey: .maxNewTokens) ?? defaults.maxNewTokens
        minNewTokens = try container.decodeIfPresent(Int.self, forKey: .minNewTokens) ?? defaults.minNewTokens
        temperature = try container.decodeIfPresent(Float.self, forKey: .temperature) ?? defaults.temperature
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        topP = try container.decodeIfPresent(Float.self, forKey: .topP)
        repetitionPenalty = try container.decodeIfPresent(Float.self, forKey: .repetitionPenalty) ?? defaults.repetitionPenalty
        stopTokens = try container.decodeIfPresent([Int].self, forKey: .stopTokens) ?? defaults.stopTokens
        bannedTokens = try container.decodeIfPresent([Int].self, forKey: .bannedTokens) ?? defaults.bannedTokens
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        beamCount = try container.decodeIfPresent(Int.self, forKey: .beamCount) ?? defaults.beamCount
        hypothesisCount = try container.decodeIfPresent(Int.self, forKey: .hypothesisCount) ?? defaults.hypothesisCount
        lengthPenalty = try container.decodeIfPresent(Float.self, forKey: .lengthPenalty) ?? defaults.lengthPenalty
    }
}
