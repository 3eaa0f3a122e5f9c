import ArgumentParser
import Generation

/// How generated tokens are chosen: `--temperature`, `--top-k`, `--top-p`,
/// `--repetition-penalty`, `--max-new-tokens`, `--greedy` or `--beams N`, `--stop-token`.
///
/// ``settings(seed:)`` maps them onto `GenerationSettings`; ``validate()`` rejects
/// combinations that make no sense (temperature 0 while sampling, negative counts) with
/// the option named, before any work starts.
///
/// ```swift
/// @OptionGroup var sampling: SamplingOptions
/// @OptionGroup var seed: SeedOption
/// let settings = try sampling.settings(seed: seed.seed)
/// ```
public struct SamplingOptions: ParsableArguments {
    @Option(help: "Softmax temperature when sampling (> 0; use --greedy for deterministic decoding).")
    public var temperature: Float = 1

    @Option(name: .customLong("top-k"), help: "Sample only among the k most likely tokens (>= 1).")
    public var topK: Int?

    @Option(name: .customLong("top-p"), help: "Sample only from the smallest set of tokens holding this probability mass, in (0, 1].")
    public var topP: Float?

    @Option(help: "CTRL repetition penalty (> 0; 1 disables, 1.1-1.3 discourages repeats).")
    public var repetitionPenalty: Float = 1

    @Option(help: "Most tokens to generate (>= 0; default 128, or what the context leaves after the prompt when that is less).")
    public var maxNewTokens: Int?

    /// Tokens generated when `--max-new-tokens` is not given (fewer when the context is shorter).
    public static let defaultMaxNewTokens = 128

    @Flag(help: "Always take the most likely token (deterministic).")
    public var greedy = false

    @Option(help: "Beam search with this many beams instead of sampling (>= 1).")
    public var beams: Int?

    @Option(help: "Beam search length normalisation exponent (score / length^alpha).")
    public var lengthPenalty: Float = 1

    @Option(name: .customLong("stop-token"), help: "A token id that ends generation (repeatable).")
    public var stopTokens: [Int] = []

    /// The defaults listed in each option's help.
    public init() {}

    /// Rejects out-of-range values, temperature 0 without `--greedy` or `--beams`, and `--beams`
    /// with `--greedy`.
    public func validate() throws {
        func fail(_ option: String, _ reason: String) -> ValidationError { ValidationError("\(option): \(reason)") }
        if let maxNewTokens, maxNewTokens < 0 { throw fail("--max-new-tokens", "must be >= 0, got \(maxNewTokens)") }
        guard temperature.isFinite, temperature >= 0 else { throw fail("--temperature", "must be finite and >= 0, got \(temperature)") }
        if temperature == 0, !greedy, beams == nil {
            throw fail("--temperature", "0 is not a sampling temperature; pass --greedy for deterministic decoding")
        }
        if let topK, topK < 1 { throw fail("--top-k", "must be >= 1, got \(topK)") }
        if let topP, !(topP > 0 && topP <= 1) { throw fail("--top-p", "must be in (0, 1], got \(topP)") }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw fail("--repetition-penalty", "must be > 0 (1 disables it), got \(repetitionPenalty)")
        }
        if let beams {
            guard beams >= 1 else { throw fail("--beams", "must be >= 1, got \(beams)") }
            if greedy { throw fail("--beams", "cannot be combined with --greedy") }
        }
        guard lengthPenalty.isFinite else { throw fail("--length-penalty", "must be finite, got \(lengthPenalty)") }
        if let bad = stopTokens.first(where: { $0 < 0 }) { throw fail("--stop-token", "token ids must be >= 0, got \(bad)") }
    }

    /// The generation mode these flags select.
    public var mode: GenerationSettings.Mode {
        if beams != nil { return .beamSearch }
        return greedy ? .greedy : .sampling
    }

    /// The settings for `GenerationSettings`-driven generation, validated.
    ///
    /// - Parameters:
    ///   - seed: the sampling seed (`--seed`).
    ///   - extraStopTokens: stop tokens the model brings (an end-of-text token).
    public func settings(seed: UInt64, extraStopTokens: [Int] = []) throws -> GenerationSettings {
        var settings = GenerationSettings()
        settings.mode = mode
        settings.maxNewTokens = maxNewTokens ?? Self.defaultMaxNewTokens
        settings.temperature = temperature
        settings.topK = topK
        settings.topP = topP
        settings.repetitionPenalty = repetitionPenalty
        settings.stopTokens = Array(Set(stopTokens + extraStopTokens)).sorted()
        settings.seed = seed
        if let beams { settings.beamCount = beams }
        settings.lengthPenalty = lengthPenalty
        try settings.validate()
        return settings
    }
}
