import Autograd
import Tensors

/// Gradient accumulation: several forward/backward passes whose gradients are averaged
/// into one step, so a large batch fits in memory as micro-batches (nanoGPT's
/// `gradient_accumulation_steps`).
///
/// With micro-batches of equal size whose losses are means, the averaged gradient equals the
/// gradient of the mean loss over the whole batch.
///
/// ```swift
/// parameters.zeroGradients()
/// let result = try GradientAccumulation.run(parameters: parameters, microBatches: 4, step: step) { microBatch in
///     let batch = batches[microBatch]
///     return (loss: try model.loss(batch), tokens: batch.count)
/// }
/// optimizer.step(learningRate: rate)
/// ```
public enum GradientAccumulation {
    /// What one accumulated step measured.
    public struct Result: Sendable, Equatable {
        /// The mean of the micro-batch losses.
        public var loss: Float
        /// The tokens the micro-batches reported, summed.
        public var tokens: Int
    }

    /// Runs `microBatches` passes of `body`, calling backward on each loss, and leaves the
    /// average of their gradients in the parameters (added to whatever they held, so zero
    /// them first).
    ///
    /// - Parameters:
    ///   - parameters: the variables whose gradients are averaged.
    ///   - microBatches: how many passes (>= 1).
    ///   - step: the 0-based step, for the error when a loss is not finite.
    ///   - learningRate: the step's rate, for the error's advice.
    ///   - body: builds one micro-batch's scalar loss on the tape.
    /// - Throws: ``TrainingError/diverged(step:quantity:value:learningRate:lastCheckpoint:advice:)``
    ///   when a loss is NaN or infinite (before its backward pass), or what `body` throws.
    public static func run(
        parameters: ParameterSet, microBatches: Int, step: Int = 0, learningRate: Float = 0,
        _ body: (_ microBatch: Int) throws -> (loss: Variable, tokens: Int)
    ) throws -> Result {
        precondition(microBatches >= 1, "microBatches must be >= 1")
        var lossSum = 0.0
        var tokens = 0
        for microBatch in 0..<microBatches {
            // A previous pass that threw may have left operations on the tape.
            Tape.current.reset()
            let (loss, microTokens) = try body(microBatch)
            guard loss.value.count == 1 else {
                throw TrainingError.invalidConfiguration(
                    field: "loss", detail: "the loss closure must return one value, got shape \(loss.shape)")
            }
            let value = loss.value.scalar
            guard value.isFinite else {
                Tape.current.reset()
                throw TrainingError.diverged(
                    step: step, quantity: .loss, value: value, learningRate: learningRate, lastCheckpoint: nil,
                    advice: TrainingError.divergenceAdvice(quantity: .loss, learningRate: learningRate, clipNorm: 0, warmupSteps: 0))
            }
            try loss.backward()
            lossSum += Double(value)
            tokens += microTokens
        }
        // Averaging the gradients once, rather than scaling each loss, keeps every
        // micro-batch's backward identical to an unaccumulated one.
        parameters.scaleGradients(by: 1 / Float(microBatches))
        return Result(loss: Float(lossSum / Double(microBatches)), tokens: tokens)
    }
}
