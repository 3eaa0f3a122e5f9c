import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A training checkpoint on disk: a directory holding `model.safetensors` (parameters by
/// name), `optimizer.safetensors` (AdamW's moments and step) and `trainer.json` (steps done,
/// seed, configuration, history).
///
/// Writing is atomic at the directory level: files go into a fresh temporary directory next
/// to the destination; only when all are complete is the old checkpoint renamed to
/// `<name>.previous`, the new one renamed into place, and the previous one deleted. A crash
/// at any point leaves either the old or the new checkpoint complete under `<name>` or
/// `<name>.previous`, and ``resolve(_:)`` finds it.
///
/// ```swift
/// let checkpoint = CheckpointDirectory(url: URL(fileURLWithPath: "runs/lm/checkpoint"))
/// try checkpoint.write { temporary in
///     try parameters.save(to: temporary.appendingPathComponent(CheckpointDirectory.modelFileName).path)
/// }
/// ```
public struct CheckpointDirectory: Sendable, Hashable {
    /// Parameters by name.
    public static let modelFileName = "model.safetensors"
    /// Optimiser moments and step.
    public static let optimizerFileName = "optimizer.safetensors"
    /// Trainer state (``TrainerState``), written last: its presence marks a complete checkpoint.
    public static let trainerFileName = "trainer.json"

    /// The checkpoint's directory.
    public let url: URL

    /// A checkpoint at `url` (which need not exist yet).
    public init(url: URL) { self.url = url }

    /// The directory kept while a newer checkpoint replaces this one.
    public var previousURL: URL { url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".previous") }

    /// Whether `directory` holds a complete checkpoint (its `trainer.json` exists).
    public static func isComplete(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(trainerFileName).path)
    }

    /// The complete checkpoint to load: `url` itself, or `<name>.previous` when a crash
    /// interrupted the swap; nil when neither is complete.
    public func resolve() -> URL? {
        if Self.isComplete(url) { return url }
        if Self.isComplete(previousURL) { return previousURL }
        return nil
    }

    /// Creates the checkpoint: `body` writes its files into the temporary directory it is
    /// given, then the directory replaces the old checkpoint.
    ///
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` when a directory cannot be made
    ///   or renamed, or whatever `body` throws; the temporary directory is then removed and
    ///   the old checkpoint is untouched.
    public func write(_ body: (_ temporary: URL) throws -> Void) throws {
        let fileManager = FileManager.default
        let parent = url.deletingLastPathComponent()
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.checkpoint(path: parent.path, detail: "cannot create the output directory: \(error.localizedDescription)")
        }
        let temporary = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw TrainingError.checkpoint(path: temporary.path, detail: "cannot create a temporary directory: \(error.localizedDescription)")
        }
        var committed = false
        defer { if !committed { try? fileManager.removeItem(at: temporary) } }
        try body(temporary)
        guard Self.isComplete(temporary) else {
            throw TrainingError.checkpoint(path: temporary.path, detail: "the writer did not create \(Self.trainerFileName)")
        }
        // The new files' directory entries must be durable before the directory is renamed.
        Self.syncDirectory(temporary)
        // rename(2) cannot replace a non-empty directory, so the old checkpoint steps aside
        // first; it is deleted only once the new one is in place.
        try? fileManager.removeItem(at: previousURL)
        let hadOld = fileManager.fileExists(atPath: url.path)
        if hadOld { try Self.rename(url, to: previousURL) }
        try Self.rename(temporary, to: url)
        committed = true
        Self.syncDirectory(parent)
        if hadOld { try? fileManager.removeItem(at: previousURL) }
    }

    private static func rename(_ source: URL, to destination: URL) throws {
        guard Glibc_rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TrainingError.checkpoint(path: destination.path, detail: "rename from \(source.path) failed: \(reason)")
        }
    }

    /// Persists the renames (best effort: some file systems refuse fsync on directories).
    private static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
    }
}

#if canImport(Glibc)
@inline(__always) private func Glibc_rename(_ a: String, _ b: String) -> Int32 { Glibc.rename(a, b) }
#elseif canImport(Darwin)
@inline(__always) private func Glibc_rename(_ a: String, _ b: String) -> Int32 { Darwin.rename(a, b) }
#endif
