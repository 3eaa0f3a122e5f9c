import FileIO
import Foundation

/// `FileIO.AtomicWrite` for commands: the same writes (temporary file, fsync, rename, fsync
/// the folder), creating the output folder when it is missing.
///
/// A file that imports both `Commands` and `FileIO` spells the two `Commands.AtomicWrite`
/// and `FileIO.AtomicWrite`.
///
/// ```swift
/// try AtomicWrite.data(Data(json.utf8), to: outputFolder.appendingPathComponent("training.json"))
/// try AtomicWrite.files(into: outputFolder, last: "config.json") { staging in
///     try model.save(to: staging)
/// }
/// ```
public enum AtomicWrite {
    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    ///
    /// - Throws: `FileIOError` naming `url`.
    public static func data(_ data: Data, to url: URL) throws {
        try FileIO.AtomicWrite.data(data, to: url, creatingFolder: true)
    }

    /// Lets `body` fill a staging folder inside `folder`, then moves each file into `folder`,
    /// the one named `last` at the end; see `FileIO.AtomicWrite.files(into:last:_:)`.
    public static func files(into folder: URL, last: String, _ body: (_ staging: URL) throws -> Void) throws {
        try FileIO.AtomicWrite.files(into: folder, last: last.isEmpty ? nil : last, body)
    }
}
