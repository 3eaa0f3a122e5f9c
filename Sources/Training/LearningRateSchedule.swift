// Linear warm-up then cosine decay to a floor.
// Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts",
// equation 5 (cosine annealing, without restarts); warm-up as in Goyal et al. 2017,
// "Accurate, Large Minibatch SGD", section 2.2. Step numbering follows nanoGPT's `get_lr`:
// warm-up reaches the peak at the last warm-up step, decay ends at `decaySteps`.

import Foundation

/// The learning rate as a function of the step: linear warm-up, then constant, cosine or
/// linear decay to a minimum.
///
/// For a 0-based step `s`, warm-up `w`, decay end `d`, peak `η` and minimum `η_min`:
/// - `s < w`: `η (s + 1) / w` (never zero, so the first step already moves);
/// - `s >= d`: `η_min` (cosine, linear);
/// - otherwise, with `r = (s - w) / (d - w)`: cosine `η_min + (η - η_min)(1 + cos πr) / 2`,
///   linear `η - (η - η_min) r`, constant `η`.
///
/// ```swift
/// let schedule = LearningRateSchedule(kind: .cosine, peakLearningRate: 6e-4,
///                                     minimumLearningRate: 6e-5, warmupSteps: 100, decaySteps: 5000)
/// let rate = schedule.learningRate(atStep: 2500)
/// ```
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// The shape after warm-up.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Stay at the peak.
        case constant
        /// Half a cosine from the peak down to the minimum.
        case cosine
        /// A straight line from the peak down to the minimum.
        case linear
    }

    /// The shape after warm-up. Default `.cosine`.
    public var kind: Kind
    /// The rate at the end of warm-up. Default 6e-4 (nanoGPT's GPT-2 small).
    public var peakLearningRate: Float
    /// The floor the decay reaches at ``decaySteps``. Default 6e-5 (a tenth of the peak,
    /// per Chinchilla / nanoGPT).
    public var minimumLearningRate: Float
    /// Steps of linear warm-up. Default 0.
    public var warmupSteps: Int
    /// The step at which decay reaches the minimum (usually the run's length). Default 1000.
    public var decaySteps: Int

    /// Creates a schedule; see the type's documentation for the formula.
    public init(kind: Kind = .cosine, peakLearningRate: Float = 6e-4, minimumLearningRate: Float = 6e-5,
                warmupSteps: Int = 0, decaySteps: Int = 1000) {
        self.kind = kind
        self.peakLearningRate = peakLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.warmupSteps = warmupSteps
        self.decaySteps = decaySteps
    }

    /// A constant rate with no warm-up.
    ///
    /// ```swift
    /// let schedule = LearningRateSchedule.constant(1e-3)
    /// ```
    public static func constant(_ learningRate: Float) -> LearningRateSchedule {
        LearningRateSchedule(kind: .constant, peakLearningRate: learningRate, minimumLearningRate: learningRate,
                             warmupSteps: 0, decaySteps: 0)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, peakLearningRate, minimumLearningRate, warmupSteps, decaySteps
    }

    /// Decodes a schedule; missing fields take the documented defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LearningRateSchedule()
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? defaults.kind
        peakLearningRate = try container.decodeIfPresent(Float.self, forKey: .peakLearningRate) ?? defaults.peakLearningRate
        minimumLearningRate = try container.decodeIfPresent(Float.self, forKey: .minimumLearningRate) ?? defaults.minimumLearningRate
        warmupSteps = try container.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? defaults.warmupSteps
        decaySteps = try container.decodeIfPresent(Int.self, forKey: .decaySteps) ?? defaults.decaySteps
    }

    /// The rate for 0-based step `step`.
    public func learningRate(atStep step: Int) -> Float {
        // Double throughout, rounded once: key steps (end of warm-up, mid-decay, the floor)
        // then give exactly the Float one would write down.
        let peak = Double(peakLearningRate), floor = Double(minimumLearningRate)
        if step < warmupSteps {
            return Float(peak * Double(step + 1) / Double(warmupSteps))
        }
        switch kind {
        case .constant:
            return peakLearningRate
        case .cosine, .linear:
            if step >= decaySteps { return minimumLearningRate }
            let ratio = Double(step - warmupSteps) / Double(decaySteps - warmupSteps)
            if kind == .linear { return Float(peak - (peak - floor) * ratio) }
            let coefficient = 0.5 * (1 + cos(Double.pi * ratio))
            return Float(floor + coefficient * (peak - floor))
        }
    }

    /// Throws naming the field when the schedule cannot be used.
    ///
    /// - Parameter prefix: prepended to field names (for a schedule inside a configuration).
    public func validate(fieldPrefix prefix: String = "") throws {
        guard peakLearningRate.isFinite, peakLearningRate > 0 else {
            throw TrainingError.invalidConfiguration(field: prefix + "learningRate", detail: "must be a positive number, got \(peakLearningRate)")
        }
        guard minimumLearningRate.isFinite, minimumLearningRate >= 0, minimumLearningRate <= peakLearningRate else {
            throw TrainingError.invalidConfiguration(
                field: prefix + "minimumLearningRate", detail: "must be in 0...\(peakLearningRate) (the peak), got \(minimumLearningRate)")
        }
        guard warmupSteps >= 0 else {
            throw TrainingError.invalidConfiguration(field: prefix + "warmupSteps", detail: "must be >= 0, got \(warmupSteps)")
        }
        if kind != .constant, decaySteps < warmupSteps {
            throw TrainingError.invalidConfiguration(
                field: prefix + "decaySteps", detail: "must be >= warmupSteps (\(warmupSteps)), got \(decaySteps)")
        }
    }
}
