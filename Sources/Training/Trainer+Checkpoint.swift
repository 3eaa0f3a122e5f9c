import Foundation

/// Checkpointing and resuming a ``Trainer``.
extension Trainer {
    /// Where this run's checkpoint lives: `<outputDirectory>/checkpoint`.
    public var checkpointDirectory: CheckpointDirectory {
        CheckpointDirectory(url: URL(fileURLWithPath: configuration.outputDirectory, isDirectory: true)
            .appendingPathComponent("checkpoint", isDirectory: true))
    }

    /// The complete checkpoint in the output directory, if any (a run to resume).
    ///
    /// ```swift
    /// if let checkpoint = trainer.latestCheckpoint() { try trainer.resume(from: checkpoint) }
    /// ```
    public func latestCheckpoint() -> URL? { checkpointDirectory.resolve() }

    /// Writes the current state to ``checkpointDirectory`` atomically, replacing the
    /// previous checkpoint only once the new one is complete.
    ///
    /// - Returns: the checkpoint directory.
    @discardableResult
    public func saveCheckpoint() throws -> URL {
        let directory = checkpointDirectory
        let state = TrainerState(completedSteps: completedSteps, randomness: randomness,
                                 configuration: configuration, history: history)
        try directory.write { temporary in
            try parameters.save(to: temporary.appendingPathComponent(CheckpointDirectory.modelFileName).path,
                                metadata: ["step": String(completedSteps)])
            try optimizer.saveState(to: temporary.appendingPathComponent(CheckpointDirectory.optimizerFileName).path)
            // Last: its presence marks the checkpoint complete.
            try state.write(to: temporary.appendingPathComponent(CheckpointDirectory.trainerFileName))
        }
        lastCheckpoint = directory.url
        return directory.url
    }

    /// Restores parameters, optimiser moments, step count, randomness and history from a
    /// checkpoint directory, so that ``train(step:validate:)`` continues exactly as the
    /// uninterrupted run would have.
    ///
    /// The configuration is not replaced: a resumed run may, for example, extend `steps`.
    /// Nothing is changed unless every file is readable and matches the parameters.
    ///
    /// - Parameter url: a checkpoint directory (see ``latestCheckpoint()``).
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` for a missing or bad
    ///   `trainer.json`, ``TrainingError/tensorMismatch(path:tensor:detail:)`` naming a
    ///   tensor whose name or shape does not match, or `SafeTensorsError` for a corrupt file.
    ///
    /// ```swift
    /// try trainer.resume(from: URL(fileURLWithPath: "runs/mlp/checkpoint"))
    /// ```
    public func resume(from url: URL) throws {
        let state = try TrainerState.read(from: url.appendingPathComponent(CheckpointDirectory.trainerFileName))
        let modelPath = url.appendingPathComponent(CheckpointDirectory.modelFileName).path
        let optimizerPath = url.appendingPathComponent(CheckpointDirectory.optimizerFileName).path
        // Check both files before writing either, so a bad optimizer file cannot leave new
        // weights paired with old moments.
        for path in [modelPath, optimizerPath] where !FileManager.default.fileExists(atPath: path) {
            throw TrainingError.checkpoint(path: path, detail: "is missing; the checkpoint is incomplete")
        }
        let savedParameters = snapshotValues()
        do {
            try parameters.load(from: modelPath)
            try optimizer.loadState(from: optimizerPath)
        } catch {
            restoreValues(savedParameters)
            throw error
        }
        completedSteps = state.completedSteps
        history = state.history
        randomness = state.randomness
        lastCheckpoint = url
    }

    private func snapshotValues() -> [[Float]] { parameters.map { $0.value.scalars } }

    private func restoreValues(_ values: [[Float]]) {
        for (variable, saved) in zip(parameters, values) {
            _ = saved.withUnsafeBufferPointer { source in
                variable.value.mutableBuffer.update(fromContentsOf: source)
            }
        }
    }
}
