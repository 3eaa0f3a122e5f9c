import Foundation

/// An error raised while training, checkpointing or restoring a run.
///
/// Every case names what is at fault (the file and tensor, the configuration field, or the
/// step and quantity that went non-finite), and ``description`` is one line fit for a
/// command-line tool:
///
/// ```
/// training diverged at step 41: loss is nan (learning rate 0.3). Lower the learning rate ...
/// ```
///
/// ```swift
/// do {
///     _ = try trainer.train(step: loss)
/// } catch let error as TrainingError {
///     if case .diverged = error { print(error.description) }
/// }
/// ```
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The quantity that became NaN or infinite.
    public enum DivergedQuantity: String, Sendable, Equatable, Codable {
        /// A micro-batch's training loss.
        case loss
        /// The global gradient norm before clipping.
        case gradientNorm = "gradient norm"
        /// The loss returned by the validation closure.
        case validationLoss = "validation loss"
    }

    /// A loss or gradient norm became non-finite at `step` (0-based, the step being taken).
    /// No parameter update and no checkpoint were made for that step; `lastCheckpoint` (if
    /// any) is the directory to resume from, and `advice` says what to change.
    case diverged(step: Int, quantity: DivergedQuantity, value: Float, learningRate: Float,
                  lastCheckpoint: String?, advice: String)
    /// A configuration field holds a value the trainer cannot use.
    case invalidConfiguration(field: String, detail: String)
    /// A parameter set was built from bad variables (empty or repeated names, non-contiguous
    /// values).
    case invalidParameter(name: String, detail: String)
    /// A tensor file does not match the parameters it is loaded into: a tensor is missing,
    /// unexpected, or has the wrong shape.
    case tensorMismatch(path: String, tensor: String, detail: String)
    /// A checkpoint directory is missing, incomplete or unreadable, or could not be written.
    case checkpoint(path: String, detail: String)

    /// One line naming what is at fault; for a divergence, also the advice and the checkpoint to resume from.
    public var description: String {
        switch self {
        case let .diverged(step, quantity, value, learningRate, lastCheckpoint, advice):
            let resume = lastCheckpoint.map { " The last good checkpoint is \($0)." } ?? " No checkpoint was written yet."
            return "training diverged at step \(step): \(quantity.rawValue) is \(value) (learning rate \(learningRate)). \(advice)\(resume)"
        case let .invalidConfiguration(field, detail):
            return "training configuration: field '\(field)': \(detail)"
        case let .invalidParameter(name, detail):
            return "parameter '\(name)': \(detail)"
        case let .tensorMismatch(path, tensor, detail):
            return "\(path): tensor '\(tensor)': \(detail)"
        case let .checkpoint(path, detail):
            return "\(path): \(detail)"
        }
    }

    /// The same as ``description``, so `localizedDescription` shows it too.
    public var errorDescription: String? { description }

    /// The advice attached to a divergence: what usually fixes the quantity that blew up.
    static func divergenceAdvice(quantity: DivergedQuantity, learningRate: Float, clipNorm: Float,
                                 warmupSteps: Int) -> String {
        var parts = ["Lower the learning rate (try \(learningRate / 3) or less)"]
        if clipNorm <= 0 {
            parts.append("enable gradient clipping (clipNorm 1.0)")
        } else if quantity != .gradientNorm {
            parts.append("lower clipNorm (now \(clipNorm))")
        }
        if warmupSteps < 100 { parts.append("use a longer warm-up (warmupSteps now \(warmupSteps))") }
        if quantity == .gradientNorm {
            parts.append("check the loss for log(0) or division by zero")
        }
        return parts.joined(separator: ", ") + ", then resume from the last checkpoint."
    }
}
