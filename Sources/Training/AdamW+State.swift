import Foundation
import SafeTensors
import Tensors

/// Saving and restoring the optimiser's state (step count and moments), so a resumed run
/// continues with the same update it would have made.
///
/// The file is safetensors: `<parameter>.exp_avg` and `<parameter>.exp_avg_sq` (PyTorch's
/// state names) for every parameter, and the step count in the metadata under `step`.
extension AdamW {
    /// The metadata key holding ``stepCount``.
    public static let stepMetadataKey = "step"
    /// Suffix of first-moment tensors.
    public static let firstMomentSuffix = ".exp_avg"
    /// Suffix of second-moment tensors.
    public static let secondMomentSuffix = ".exp_avg_sq"

    /// Writes the state to `path` atomically.
    ///
    /// ```swift
    /// try optimizer.saveState(to: "run/optimizer.safetensors")
    /// ```
    public func saveState(to path: String) throws {
        var writer = try SafeTensorsWriter(path: path, metadata: [Self.stepMetadataKey: String(stepCount)])
        for (index, variable) in parameters.enumerated() {
            try writer.add(variable.name + Self.firstMomentSuffix, shape: variable.shape,
                           values: firstMoments[index].readBuffer)
            try writer.add(variable.name + Self.secondMomentSuffix, shape: variable.shape,
                           values: secondMoments[index].readBuffer)
        }
        try writer.write()
    }

    /// Replaces the state with the one saved at `path`.
    ///
    /// Nothing changes unless the file matches the parameters exactly (names, shapes, a
    /// valid step count).
    ///
    /// - Throws: ``TrainingError/tensorMismatch(path:tensor:detail:)`` naming the tensor,
    ///   ``TrainingError/checkpoint(path:detail:)`` for a missing or bad step count, or
    ///   `SafeTensorsError` for an unreadable file.
    ///
    /// ```swift
    /// try optimizer.loadState(from: "run/checkpoint/optimizer.safetensors")
    /// ```
    public func loadState(from path: String) throws {
        let file = try SafeTensorsFile(path: path)
        guard let stepText = file.metadata[Self.stepMetadataKey], let steps = Int(stepText), steps >= 0 else {
            throw TrainingError.checkpoint(path: path, detail: "metadata '\(Self.stepMetadataKey)' is missing or not a non-negative integer")
        }
        try parameters.checkShapes(against: file, suffixes: [Self.firstMomentSuffix, Self.secondMomentSuffix])
        for (index, variable) in parameters.enumerated() {
            try file.read(variable.name + Self.firstMomentSuffix, into: firstMoments[index].mutableBuffer)
            try file.read(variable.name + Self.secondMomentSuffix, into: secondMoments[index].mutableBuffer)
        }
        stepCount = steps
    }
}
