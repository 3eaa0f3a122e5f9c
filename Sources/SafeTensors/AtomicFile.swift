#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it is either complete or absent: the bytes go to a temporary
/// file in the same directory, which is flushed to disk and then renamed over the
/// destination. rename(2) within one file system is atomic, so a crash or a full disk
/// mid-write never leaves a half-written checkpoint under the real name.
enum AtomicFile {
    /// Creates `path` from the chunks `body` passes to its `write` argument.
    ///
    /// - Throws: ``SafeTensorsError`` `.writeFailed` naming `path`, or whatever `body` throws;
    ///   in either case the temporary file is removed and `path` is untouched.
    static func write(to path: String,
                      _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let directory = Self.directory(of: path)
        let baseName = path.split(separator: "/").last.map(String.init) ?? path
        let temporaryPath = "\(directory)/.\(baseName).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SafeTensorsError.system(.writeFailed, path: path, action: "creating \(temporaryPath)", errorNumber: errno)
        }
        var committed = false
        defer {
            if !committed { unlink(temporaryPath) }
        }
        do {
            try body { chunk in try writeAll(chunk, to: descriptor, path: path) }
            // Data must be on disk before the rename makes it visible, or a crash could
            // leave the new name pointing at an empty file.
            guard fsync(descriptor) == 0 else {
                throw SafeTensorsError.system(.writeFailed, path: path, action: "fsync", errorNumber: errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else {
            throw SafeTensorsError.system(.writeFailed, path: path, action: "close", errorNumber: errno)
        }
        guard rename(temporaryPath, path) == 0 else {
            throw SafeTensorsError.system(.writeFailed, path: path, action: "rename from \(temporaryPath)", errorNumber: errno)
        }
        committed = true
        // Persist the directory entry too; best effort, as some file systems refuse it.
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// The directory part of `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    #else
    private static let systemWrite = Darwin.write
    #endif

    /// write(2) until every byte is out, retrying on EINTR and short writes.
    private static func writeAll(_ chunk: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        guard var next = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw SafeTensorsError.system(.writeFailed, path: path, action: "write", errorNumber: errno)
            }
            next += written
            remaining -= written
        }
    }
}
