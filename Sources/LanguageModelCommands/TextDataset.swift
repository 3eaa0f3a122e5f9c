import Commands
import Foundation
import Tensors

/// A tokenised text split into a training part (the first tokens) and a validation part
/// (the last `validationFraction` of them), cut into next-token prediction windows.
///
/// Training batches are windows at random offsets, drawn with the generator the trainer
/// hands each micro-batch, so a step's data depends only on the seed and the step. Validation
/// uses fixed, evenly spaced windows so its loss is comparable from step to step.
///
/// ```swift
/// let data = try TextDataset(tokens: ids, validationFraction: 0.1, context: 64, source: "input.txt")
/// let batch = data.trainingBatch(size: 16, using: &generator)   // inputs [16][64], targets 16*64
/// ```
public struct TextDataset: Sendable {
    /// Inputs `[B][T]` and the next token of every position, flattened to `B*T`.
    public typealias Batch = (inputs: [[Int]], targets: [Int])

    /// Tokens trained on.
    public let training: [Int]
    /// Tokens held out.
    public let validation: [Int]
    /// Tokens per training window.
    public let context: Int

    /// Splits `tokens`; `source` names the text in errors.
    ///
    /// - Throws: ``CommandFailure`` when either part is too short for the windows.
    public init(tokens: [Int], validationFraction: Double, context: Int, source: String) throws {
        let validationCount = Int((Double(tokens.count) * validationFraction).rounded())
        training = Array(tokens[..<(tokens.count - validationCount)])
        validation = Array(tokens[(tokens.count - validationCount)...])
        self.context = context
        guard training.count > context else {
            throw CommandFailure("--data \(source): \(tokens.count) tokens leave \(training.count) for training, too few for --context \(context) (need more than \(context)); use a longer text or a smaller --context")
        }
        guard validationFraction == 0 || validation.count >= 2 else {
            throw CommandFailure("--data \(source): the validation part (\(validation.count) tokens) needs at least 2 tokens; raise --validation-fraction or use a longer text")
        }
    }

    /// `size` windows at random offsets of the training part.
    public func trainingBatch(size: Int, using generator: inout SeededGenerator) -> Batch {
        let starts = (0..<size).map { _ in Int(generator.next() % UInt64(training.count - context)) }
        return Self.windows(of: training, starts: starts, length: context)
    }

    /// Up to `limit` evenly spaced windows over the validation part, in batches of `size`
    /// (shorter windows when the part is shorter than the context).
    public func validationBatches(size: Int, limit: Int = 32) -> [Batch] {
        guard validation.count >= 2 else { return [] }
        let length = min(context, validation.count - 1)
        let available = validation.count - length
        let count = min(limit, max(1, available / max(length, 1)))
        let starts = (0..<count).map { $0 * (available - 1) / max(count - 1, 1) }
        return stride(from: 0, to: starts.count, by: size).map {
            Self.windows(of: validation, starts: Array(starts[$0..<min($0 + size, starts.count)]), length: length)
        }
    }

    private static func windows(of tokens: [Int], starts: [Int], length: Int) -> Batch {
        var inputs: [[Int]] = []
        var targets: [Int] = []
        inputs.reserveCapacity(starts.count)
        targets.reserveCapacity(starts.count * length)
        for start in starts {
            inputs.append(Array(tokens[start..<(start + length)]))
            targets += tokens[(start + 1)...(start + length)]
        }
        return (inputs, targets)
    }
}
