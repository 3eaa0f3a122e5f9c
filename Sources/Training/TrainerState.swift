import Foundation

/// The contents of a checkpoint's `trainer.json`: what, besides parameters and optimiser
/// moments, a resumed run needs to continue exactly where it stopped.
///
/// The random state is the seed alone: per-step generators are derived from (seed, step,
/// micro-batch) by ``StepRandomness``, so the step count fixes every later draw.
///
/// ```swift
/// let state = try TrainerState.read(from: checkpointURL.appendingPathComponent("trainer.json"))
/// print(state.completedSteps, state.history.last?.trainingLoss ?? .nan)
/// ```
public struct TrainerState: Codable, Sendable, Equatable {
    /// The layout version of this file; readers reject newer ones.
    public static let currentFormatVersion = 1

    /// The layout version this file was written with.
    public var formatVersion: Int
    /// Optimisation steps completed.
    public var completedSteps: Int
    /// The run's randomness (its seed).
    public var randomness: StepRandomness
    /// The configuration the run was started with.
    public var configuration: TrainingConfiguration
    /// One record per completed step.
    public var history: [TrainingRecord]

    /// Creates a state record.
    public init(completedSteps: Int, randomness: StepRandomness, configuration: TrainingConfiguration,
                history: [TrainingRecord]) {
        formatVersion = Self.currentFormatVersion
        self.completedSteps = completedSteps
        self.randomness = randomness
        self.configuration = configuration
        self.history = history
    }

    /// Writes the state as pretty, key-sorted JSON, flushed to disk.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
            // trainer.json marks a checkpoint complete, so it must be on disk before the
            // checkpoint directory is renamed into place (a power cut must not leave an empty one).
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads and checks a state file.
    ///
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` naming the file and, for a
    ///   decoding failure, the field.
    public static func read(from url: URL) throws -> TrainerState {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "cannot read: \(error.localizedDescription)")
        }
        let state: TrainerState
        do {
            state = try JSONDecoder().decode(TrainerState.self, from: data)
        } catch let error as DecodingError {
            throw TrainingError.checkpoint(path: url.path, detail: Self.describe(error))
        } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "\(error)")
        }
        guard state.formatVersion <= currentFormatVersion else {
            throw TrainingError.checkpoint(
                path: url.path, detail: "formatVersion \(state.formatVersion) is newer than this build reads (\(currentFormatVersion))")
        }
        guard state.completedSteps >= 0, state.history.count <= state.completedSteps else {
            throw TrainingError.checkpoint(
                path: url.path, detail: "completedSteps \(state.completedSteps) does not fit a history of \(state.history.count) records")
        }
        return state
    }

    /// One line naming the field at fault.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let components = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return components.isEmpty ? "<root>" : components.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context)
            return "missing field '\(parent == "<root>" ? key.stringValue : parent + "." + key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "field '\(path(context))': \(context.debugDescription)"
        case let .dataCorrupted(context):
            return "field '\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
