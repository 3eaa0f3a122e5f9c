// Sampling settings of the image generators. Classifier-free guidance (Ho & Salimans 2022,
// eq. 6) is Generation's `ClassifierFreeGuidance`, l = l_uncond + s (l_cond - l_uncond); the
// linear schedule raises s over the decoding steps (Chang et al. 2023, "Muse", section 3.3;
// used by ELM, Liu et al. 2024, section 4).

import Foundation
import Generation
import Tensors

/// The guidance scale at each decoding step.
public struct GuidanceSchedule: Codable, Sendable, Equatable {
    /// How the scale moves over the steps.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `scale` at every step.
        case constant
        /// From 1 (plain conditional) at the first step to `scale` at the last.
        case linear
    }

    /// The final (or constant) scale; 1 turns guidance off, 0 is unconditional.
    public var scale: Float
    /// How the scale moves over the decoding steps.
    public var kind: Kind

    /// A schedule ending at `scale`; the default scale 1 is no guidance.
    public init(scale: Float = 1, kind: Kind = .linear) {
        self.scale = scale
        self.kind = kind
    }

    /// Whether unconditional logits are needed at all.
    public var isActive: Bool { scale != 1 }

    /// The scale at `step` of `total` steps (0-based).
    public func value(step: Int, of total: Int) -> Float {
        switch kind {
        case .constant: return scale
        case .linear:
            guard total > 1 else { return scale }
            return 1 + (scale - 1) * Float(step) / Float(total - 1)
        }
    }
}

/// How tokens are drawn: temperature, top-k, guidance, and (masked models) decoding steps.
///
/// ```swift
/// var settings = SamplingSettings()
/// settings.temperature = 0.9
/// settings.guidance = GuidanceSchedule(scale: 3, kind: .constant)
/// try settings.validate()
/// ```
public struct SamplingSettings: Codable, Sendable, Equatable {
    /// Softmax temperature (> 0). Default 1.
    public var temperature: Float = 1
    /// Keep only the k most likely values of each sub-token; 0 keeps all. Default 0.
    public var topK = 0
    /// Classifier-free guidance. Default linear to 2.
    public var guidance = GuidanceSchedule(scale: 2, kind: .linear)
    /// MaskGIT decoding steps (masked models). Default 8.
    public var steps = 8
    /// MaskGIT's temperature of the Gumbel noise on confidences, annealed to 0. Default 4.5.
    public var choiceTemperature: Float = 4.5

    /// The defaults documented on each field.
    public init() {}

    /// Throws naming the setting at fault.
    public func validate() throws {
        guard temperature > 0, temperature.isFinite else { throw ImageDataError.invalidArgument(detail: "temperature must be positive, got \(temperature)") }
        guard topK >= 0 else { throw ImageDataError.invalidArgument(detail: "top-k must not be negative, got \(topK)") }
        guard steps > 0 else { throw ImageDataError.invalidArgument(detail: "steps must be positive, got \(steps)") }
        guard guidance.scale.isFinite, guidance.scale >= 0 else { throw ImageDataError.invalidArgument(detail: "guidance scale must be >= 0, got \(guidance.scale)") }
    }

    /// Draws one index from `logits` through Generation's temperature and top-k processors and
    /// its `CategoricalSampler`, continuing `generator`'s stream (one value per draw).
    /// Returns the index and its log-probability under the distribution drawn from.
    ///
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` for invalid settings;
    ///   `GenerationError` for logits with NaN or +inf.
    public func sample(_ logits: [Float], generator: inout SeededGenerator) throws -> (index: Int, logProbability: Float) {
        var sampler = try SubTokenSampler(settings: self, generator: generator)
        defer { generator = sampler.generator }
        return try sampler.draw(logits)
    }
}

/// Draws sub-tokens from logits with Generation's processors (temperature, then top-k, in the
/// order `GenerationSettings.makeProcessorFactories(extra:)` applies them) and its
/// `CategoricalSampler`; one value of the random stream per draw.
///
/// ```swift
/// var sampler = try SubTokenSampler(settings: settings, generator: SeededGenerator(seed: 1))
/// let (index, logProbability) = try sampler.draw(logits)
/// ```
struct SubTokenSampler {
    /// Temperature and top-k as Generation's logits processors.
    let processors: LogitsProcessorChain
    /// The categorical draw; it owns the random stream.
    private(set) var sampler: CategoricalSampler

    /// The processors of `settings`, drawing from `generator`'s stream.
    ///
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` naming an invalid setting.
    init(settings: SamplingSettings, generator: SeededGenerator) throws {
        try settings.validate()
        var generation = GenerationSettings()
        generation.temperature = settings.temperature
        generation.topK = settings.topK > 0 ? settings.topK : nil
        processors = try generation.makeProcessorChain(for: SequenceInfo(index: 0, prompt: []))
        sampler = CategoricalSampler(generator: generator)
    }

    /// The random stream, advanced by every draw.
    var generator: SeededGenerator {
        get { sampler.generator }
        set { sampler.generator = newValue }
    }

    /// One index of `logits` and its log-probability after temperature and top-k.
    ///
    /// - Throws: `GenerationError` for logits with NaN or +inf.
    mutating func draw(_ logits: [Float]) throws -> (index: Int, logProbability: Float) {
        var processed = logits
        try processors.process(&processed, context: [])
        let drawn = try sampler.sampleWithLogProbability(from: processed)
        return (drawn.token, drawn.logProbability)
    }
}
