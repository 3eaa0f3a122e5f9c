import FileIO
import Foundation

/// Atomic replacement of index and generator folders (`FileIO.AtomicWrite.replaceFolder`),
/// with file errors reported as ``RetrievalError``.
enum IndexFolder {
    /// Calls `fill` with an empty staging folder; when it returns, the staging folder takes
    /// `target`'s name (an existing `target` is moved aside first and then deleted). If
    /// `fill` throws, the staging folder is removed and `target` is untouched.
    static func replace(_ target: URL, fill: (URL) throws -> Void) throws {
        do {
            try AtomicWrite.replaceFolder(target, fill)
        } catch let error as FileIOError {
            throw RetrievalError.fileAccess(path: error.path, reason: "\(error.action) (\(error.reason))")
        }
    }

    /// The folder to read `target` from: `target` itself, or, when a crash struck between the
    /// two renames of ``replace(_:fill:)``, the complete old folder left aside. Readers use
    /// this so a killed `retrieve index build` or `retrieve train` never leaves the index
    /// unloadable.
    static func resolve(_ target: URL) -> URL {
        AtomicWrite.resolvedFolder(target)
    }
}
