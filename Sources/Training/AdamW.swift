// AdamW: Adam with decoupled weight decay.
// Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1 (moments and
// bias correction); Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization",
// Algorithm 2 (decay applied to the weights, not added to the gradient). The update order
// and the epsilon placement follow PyTorch's `torch.optim.AdamW` (non-fused):
//   p <- p (1 - lr wd);  m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//   p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// Which parameters decay follows nanoGPT's `configure_optimizers`: tensors of rank >= 2
// (matmul weights, embeddings) decay; biases and normalisation gains do not.

import Autograd
import Tensors

/// The AdamW optimiser, updating parameter values in place.
///
/// ```swift
/// let optimizer = AdamW(parameters: parameters,
///                       hyperparameters: .init(beta1: 0.9, beta2: 0.95, weightDecay: 0.1))
/// try loss.backward()
/// optimizer.step(learningRate: 3e-4)
/// parameters.zeroGradients()
/// ```
public final class AdamW {
    /// The constants of the update; the learning rate is passed to each ``step(learningRate:)``
    /// because schedules change it.
    public struct Hyperparameters: Codable, Sendable, Equatable {
        /// Decay rate of the first moment (mean of gradients). Default 0.9.
        public var beta1: Float
        /// Decay rate of the second moment (mean of squared gradients). Default 0.999
        /// (Adam's); nanoGPT and most language-model recipes use 0.95.
        public var beta2: Float
        /// Added to the denominator so that tiny second moments do not blow up the step.
        /// Default 1e-8.
        public var epsilon: Float
        /// Decoupled weight decay per unit learning rate. Default 0.01 (PyTorch's).
        public var weightDecay: Float

        /// Hyperparameters with PyTorch's defaults unless given.
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    /// Decides whether weight decay applies to a parameter, from its name and shape.
    public typealias DecayRule = @Sendable (_ name: String, _ shape: [Int]) -> Bool

    /// nanoGPT's rule: decay tensors of rank 2 or more, not biases and norm gains.
    public static let decayMatrices: DecayRule = { _, shape in shape.count >= 2 }

    /// The parameters being optimised.
    public let parameters: ParameterSet
    /// The update constants.
    public let hyperparameters: Hyperparameters
    /// Whether each parameter (by index in ``parameters``) receives weight decay.
    public let decays: [Bool]
    /// Updates made so far (`t` in the bias corrections).
    public internal(set) var stepCount = 0
    /// First moments, one per parameter, same shapes.
    public internal(set) var firstMoments: [Tensor]
    /// Second moments, one per parameter, same shapes.
    public internal(set) var secondMoments: [Tensor]

    /// Creates an optimiser with zero moments.
    ///
    /// - Parameters:
    ///   - parameters: what to optimise; only variables with `requiresGradient` and a
    ///     gradient are updated by a step.
    ///   - hyperparameters: betas, epsilon and weight decay.
    ///   - decayRule: which parameters decay; default ``decayMatrices``.
    public init(parameters: ParameterSet, hyperparameters: Hyperparameters = Hyperparameters(),
                decayRule: DecayRule = AdamW.decayMatrices) {
        self.parameters = parameters
        self.hyperparameters = hyperparameters
        decays = parameters.map { decayRule($0.name, $0.shape) }
        firstMoments = parameters.map { Tensor.zeros($0.shape) }
        secondMoments = parameters.map { Tensor.zeros($0.shape) }
    }

    /// Applies one update to every parameter that has a gradient, writing into the
    /// parameters' storage.
    ///
    /// The step counter advances once per call even when some parameters have no gradient
    /// (those keep their value and moments, as in PyTorch).
    ///
    /// - Parameter learningRate: this step's rate, usually from a ``LearningRateSchedule``.
    public func step(learningRate: Float) {
        stepCount += 1
        let t = Double(stepCount)
        let b1 = hyperparameters.beta1, b2 = hyperparameters.beta2
        // Bias corrections in Double: 1 - b2^t loses most of its digits in Float early on.
        let correction1 = 1 - _pow(Double(b1), t)
        let correction2 = 1 - _pow(Double(b2), t)
        let stepSize = Float(Double(learningRate) / correction1)
        let inverseRootCorrection2 = Float(1 / correction2.squareRoot())
        for (index, variable) in parameters.enumerated() where variable.requiresGradient {
            guard let gradient = variable.grad else { continue }
            let dense = gradient.isContiguous ? gradient : gradient.contiguous()
            let decayFactor = decays[index] ? 1 - learningRate * hyperparameters.weightDecay : 1
            Self.update(
                parameter: variable.value.mutableBuffer, gradient: dense.readBuffer,
                first: firstMoments[index].mutableBuffer, second: secondMoments[index].mutableBuffer,
                constants: .init(beta1: b1, beta2: b2, epsilon: hyperparameters.epsilon, stepSize: stepSize,
                                 inverseRootCorrection2: inverseRootCorrection2, decayFactor: decayFactor))
        }
    }

    struct Constants {
        let beta1, beta2, epsilon, stepSize, inverseRootCorrection2, decayFactor: Float
    }

    /// The update over one tensor: eight lanes at a time, then the tail with the same
    /// arithmetic, so results do not depend on where the SIMD loop stops.
    static func update(parameter: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                       first: UnsafeMutableBufferPointer<Float>, second: UnsafeMutableBufferPointer<Float>,
                       constants c: Constants) {
        let count = parameter.count
        guard count > 0, let p = parameter.baseAddress, let g = gradient.baseAddress,
              let m = first.baseAddress, let v = second.baseAddress else { return }
        typealias Vector = SIMD8<Float>
        let b1 = Vector(repeating: c.beta1), oneMinusB1 = Vector(repeating: 1 - c.beta1)
        let b2 = Vector(repeating: c.beta2), oneMinusB2 = Vector(repeating: 1 - c.beta2)
        let epsilon = Vector(repeating: c.epsilon), stepSize = Vector(repeating: c.stepSize)
        let rootScale = Vector(repeating: c.inverseRootCorrection2), decay = Vector(repeating: c.decayFactor)
        var i = 0
        while i + 8 <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Vector.self)
            var pi = UnsafeRawPointer(p + i).loadUnaligned(as: Vector.self)
            var mi = UnsafeRawPointer(m + i).loadUnaligned(as: Vector.self)
            var vi = UnsafeRawPointer(v + i).loadUnaligned(as: Vector.self)
            pi = pi * decay
            mi = b1 * mi + oneMinusB1 * gi
            vi = b2 * vi + oneMinusB2 * (gi * gi)
            pi = pi - stepSize * (mi / (vi.squareRoot() * rootScale + epsilon))
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: Vector.self)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Vector.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Vector.self)
            i += 8
        }
        while i < count {
            let gi = g[i]
            let mi = c.beta1 * m[i] + (1 - c.beta1) * gi
            let vi = c.beta2 * v[i] + (1 - c.beta2) * (gi * gi)
            p[i] = p[i] * c.decayFactor - c.stepSize * (mi / (vi.squareRoot() * c.inverseRootCorrection2 + c.epsilon))
            m[i] = mi
            v[i] = vi
            i += 1
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
