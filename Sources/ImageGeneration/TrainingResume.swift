import Foundation
import Training

/// Resuming the image commands' training runs from the ``Trainer``'s checkpoint.
///
/// A run folder (``TrainingConfiguration/outputDirectory``) holds `checkpoint/`, written
/// atomically every ``TrainingConfiguration/checkpointInterval`` steps and after the last one.
/// State kept outside the model's parameters (a VQ codebook's moving averages and code-usage
/// counts) travels in the same checkpoint as extra, gradient-free tensors.
enum TrainingResume {
    /// When `resume` is set and the run folder holds a complete checkpoint, restores the
    /// trainer from it and reports "resumed from PATH at step N"; otherwise reports that the
    /// run starts at step 0 (only when `resume` was asked for).
    ///
    /// - Returns: whether a checkpoint was loaded.
    /// - Throws: checkpoint errors (a checkpoint of another shape, a corrupt file).
    @discardableResult
    static func resumeIfAsked(_ trainer: Trainer, resume: Bool, progress: ProgressReporter.Output?) throws -> Bool {
        guard resume else { return false }
        let report = progress ?? ProgressReporter.standardError
        guard let latest = trainer.latestCheckpoint() else {
            report("no checkpoint in \(trainer.checkpointDirectory.url.path); starting at step 0")
            return false
        }
        do {
            try trainer.resume(from: latest)
        } catch TrainingError.tensorMismatch(let path, let tensor, let detail) {
            throw TrainingError.tensorMismatch(path: path, tensor: tensor,
                                               detail: detail + " (resume with the shape options of the run that wrote the checkpoint, or start a new --run-folder)")
        }
        report("resumed from \(latest.path) at step \(trainer.completedSteps)")
        return true
    }
}
