import FileIO
import Foundation

/// File reading and atomic writing shared by every tokenizer's save and load.
enum FileAccess {
    /// Reads a whole file, turning Foundation's error into one that names the path.
    static func read(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TokenizerError.fileAccess(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Writes a file atomically (`FileIO.AtomicWrite`: readers see the old or the new
    /// content, never a mix), naming the path in ``TokenizerError/fileAccess(path:reason:)``.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try AtomicWrite.data(data, to: url)
        } catch let error as FileIOError {
            throw TokenizerError.fileAccess(path: url.path, reason: "\(error.action) (\(error.reason))")
        }
    }

    /// Converts a byte offset into a 1-based line and a 1-based column counted in Unicode scalars.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        // Continuation bytes (10xxxxxx) do not start a scalar, so they do not count as columns.
        let column = bytes[lineStart..<min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return (line, column)
    }
}
