import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing results so that a file is either complete or absent: bytes go to a temporary file
/// in the destination's folder, are flushed to disk, and the file is renamed into place
/// (rename(2) is atomic within a file system). An interrupted command never leaves a
/// half-written file under the real name.
///
/// ```swift
/// try AtomicWrite.data(Data(json.utf8), to: outputFolder.appendingPathComponent("training.json"))
/// try AtomicWrite.files(into: outputFolder, last: "config.json") { staging in
///     try model.save(to: staging)
/// }
/// ```
public enum AtomicWrite {
    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    public static func data(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CommandFailure("\(url.path): cannot create \(temporary.lastPathComponent) (\(String(cString: strerror(errno))))")
        }
        var committed = false
        defer { if !committed { try? FileManager.default.removeItem(at: temporary) } }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw CommandFailure("\(url.path): cannot write (\(ErrorMessage.describe(error)))")
        }
        try move(temporary, to: url)
        committed = true
    }

    /// Lets `body` write any number of files into a fresh staging folder inside `folder`, then
    /// moves each into `folder` (replacing older versions), the file named `last` at the end.
    ///
    /// Readers that look for `last` (a `config.json`) therefore never see it next to files of
    /// an older or unfinished write. On failure the staging folder is removed and `folder`
    /// keeps its previous files.
    public static func files(into folder: URL, last: String, _ body: (_ staging: URL) throws -> Void) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let staging = folder.appendingPathComponent(".staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: staging) }
        try body(staging)
        let names = try FileManager.default.contentsOfDirectory(atPath: staging.path)
            .filter { !$0.hasPrefix(".") }
            .sorted { ($0 == last ? 1 : 0, $0) < ($1 == last ? 1 : 0, $1) }
        for name in names {
            try move(staging.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
    }

    /// rename(2), replacing `destination`.
    private static func move(_ source: URL, to destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw CommandFailure("\(destination.path): cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
    }
}
