import FileIO
import Foundation

/// The run folder's small files (records, summary, trimmed metrics), written through
/// ``AtomicWrite`` (temporary file, fsync, rename, fsync of the folder) and reported as
/// ``TrainingError/checkpoint(path:detail:)``.
enum RunFolderFile {
    /// Creates `directory` and its parents.
    static func createDirectory(_ directory: URL) throws {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw TrainingError.checkpoint(path: directory.path, detail: "cannot create the run folder: \(error.localizedDescription)")
        }
    }

    /// Replaces `url` with `data` atomically and durably.
    static func write(_ data: Data, to url: URL) throws {
        do { try AtomicWrite.data(data, to: url) } catch let error as FileIOError {
            throw TrainingError.checkpoint(path: url.path, detail: "\(error.action) (\(error.reason))")
        }
    }
}
