// Classifier-free guidance: Ho & Salimans 2022, eq. 6, applied to logits
// l = l_uncond + s (l_cond - l_uncond). The linear schedule raises s over the decoding steps
// (Chang et al. 2023, "Muse", section 3.3; used by ELM, Liu et al. 2024, section 4).

import Foundation
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

    /// Draws one index from `logits` (`count` values): temperature, then top-k, then a
    /// categorical draw. Returns the index and its log-probability under the used distribution.
    public func sample(_ logits: UnsafePointer<Float>, count: Int, generator: inout SeededGenerator) -> (index: Int, logProbability: Float) {
        var scaled = (0..<count).map { logits[$0] / temperature }
        if topK > 0 && topK < count {
            let threshold = scaled.sorted(by: >)[topK - 1]
            var kept = 0
            for i in 0..<count {
                if scaled[i] >= threshold && kept < topK { kept += 1 } else { scaled[i] = -.infinity }
            }
        }
        let maximum = scaled.max() ?? 0
        var total: Float = 0
        for i in 0..<count { scaled[i] = scaled[i] == -.infinity ? 0 : Foundation.exp(scaled[i] - maximum); total += scaled[i] }
        var draw = Float.random(in: 0..<1, using: &generator) * total
        var chosen = count - 1
        for i in 0..<count where scaled[i] > 0 {
            draw -= scaled[i]
            if draw < 0 { chosen = i; break }
        }
        while scaled[chosen] == 0 && chosen > 0 { chosen -= 1 }
        return (chosen, Foundation.log(scaled[chosen] / total))
    }
}
