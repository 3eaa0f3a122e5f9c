import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files and folders so that a reader, or the next run after a crash or a full disk,
/// finds each file either complete or absent, never half-written under its real name.
///
/// One durability policy serves every write: the bytes go to a temporary file in the
/// destination's folder, are written out and flushed to disk (`fsync`), the file is renamed
/// over the destination (`rename(2)` is atomic within one file system), and the folder is
/// flushed so that the rename itself survives a power loss.
///
/// ```swift
/// try AtomicWrite.data(Data(json.utf8), to: outputFolder.appendingPathComponent("training.json"))
/// try AtomicWrite.files(into: outputFolder, last: "config.json") { staging in
///     try model.save(to: staging)
/// }
/// ```
///
/// Failures throw ``FileIOError`` naming the destination; the destination then keeps its
/// previous content (or stays absent) and no temporary file is left behind.
public enum AtomicWrite {
    /// Writes `data` to `url` atomically, replacing an existing file.
    ///
    /// ```swift
    /// try AtomicWrite.data(Data("hello\n".utf8), to: URL(fileURLWithPath: "out/greeting.txt"))
    /// ```
    ///
    /// - Parameters:
    ///   - creatingFolder: create the destination's folder (and its parents) when missing;
    ///     by default a missing folder is an error, as for `Data.write(to:)`.
    /// - Throws: ``FileIOError`` naming `url`.
    public static func data(_ data: Data, to url: URL, creatingFolder: Bool = false) throws {
        try stream(to: url, creatingFolder: creatingFolder) { write in
            try data.withUnsafeBytes { try write($0) }
        }
    }

    /// Creates `url` atomically from the chunks that `body` passes to its `write` argument,
    /// so large files need not be assembled in memory first.
    ///
    /// ```swift
    /// try AtomicWrite.stream(to: url) { write in
    ///     try header.withUnsafeBytes { try write($0) }
    ///     try payload.withUnsafeBytes { try write($0) }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - creatingFolder: create the destination's folder (and its parents) when missing.
    ///   - body: writes the content; if it throws, the temporary file is removed, `url` is
    ///     untouched and the error is rethrown as it is.
    /// - Throws: ``FileIOError`` naming `url`, or what `body` throws.
    public static func stream(to url: URL, creatingFolder: Bool = false,
                              _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        if creatingFolder { try createFolder(folder) }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileIOError.current(path, "cannot create a temporary file beside it") }
        var committed = false
        defer { if !committed { unlink(temporary) } }
        do {
            try body { chunk in try writeAll(chunk, to: descriptor, path: path) }
            // The data must be on disk before the rename makes it visible, or a crash could
            // leave the real name pointing at an empty file.
            try flush(descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw FileIOError.current(path, "cannot close the written file") }
        guard rename(temporary, path) == 0 else { throw FileIOError.current(path, "cannot move the written file into place") }
        committed = true
        try flushFolder(folder, path: path)
    }

    /// Lets `body` write any number of files into a fresh staging folder inside `folder`,
    /// then moves each into `folder` (replacing older versions), the entry named `last` at
    /// the end.
    ///
    /// Readers that look for `last` (a `config.json` that says the folder holds a model)
    /// therefore never see it beside files of an older or unfinished write. Every staged
    /// file is flushed to disk before the first move. If `body` or a move fails, the staging
    /// folder is removed and the files of `folder` not yet replaced keep their content.
    /// Names starting with `.` in the staging folder are not moved. A staged subfolder
    /// replaces a subfolder of the same name as a whole.
    ///
    /// ```swift
    /// try AtomicWrite.files(into: URL(fileURLWithPath: "runs/a"), last: "config.json") { staging in
    ///     try weights.write(to: staging.appendingPathComponent("model.safetensors"))
    ///     try AtomicWrite.data(config, to: staging.appendingPathComponent("config.json"))
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - folder: the destination, created with its parents when missing.
    ///   - last: the entry moved after all others, or `nil` for none.
    ///   - body: fills the staging folder it is given.
    /// - Throws: ``FileIOError`` naming the file or folder at fault, or what `body` throws.
    public static func files(into folder: URL, last: String? = nil, _ body: (_ staging: URL) throws -> Void) throws {
        try createFolder(folder)
        let staging = folder.appendingPathComponent(".staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        guard mkdir(staging.path, 0o777) == 0 else {
            throw FileIOError.current(folder.path, "cannot create a staging folder inside it")
        }
        defer { try? FileManager.default.removeItem(at: staging) }
        try body(staging)
        let names = moveOrder(try entries(of: staging), last: last)
        for name in names {
            try flushTree(staging.appendingPathComponent(name), path: folder.appendingPathComponent(name).path)
        }
        for name in names {
            try move(staging.appendingPathComponent(name), to: folder.appendingPathComponent(name), asideIn: staging)
        }
        try flushFolder(folder, path: folder.path)
    }

    /// The staged names in the order ``files(into:last:_:)`` moves them: hidden names
    /// dropped, the others by name, `last` at the end.
    static func moveOrder(_ names: [String], last: String?) -> [String] {
        names.filter { !$0.hasPrefix(".") }
            .sorted { ($0 == last ? 1 : 0, $0) < ($1 == last ? 1 : 0, $1) }
    }

    // MARK: - System calls

    /// Creates `folder` and its missing parents; an existing folder is fine.
    static func createFolder(_ folder: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue { return }
        let parent = folder.deletingLastPathComponent()
        if parent.path != folder.path { try createFolder(parent) }
        guard mkdir(folder.path, 0o777) == 0 || errno == EEXIST else {
            throw FileIOError.current(folder.path, "cannot create the folder")
        }
    }

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    #elseif canImport(Musl)
    private static let systemWrite = Musl.write
    #else
    private static let systemWrite = Darwin.write
    #endif

    /// write(2) until every byte is out, retrying on EINTR and short writes.
    private static func writeAll(_ chunk: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        guard var next = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, min(remaining, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                throw FileIOError.current(path, "cannot write")
            }
            next += written
            remaining -= written
        }
    }

    /// Flushes an open file to the storage device.
    private static func flush(_ descriptor: Int32, path: String) throws {
        #if canImport(Darwin)
        // fsync on Darwin leaves the data in the drive's cache; F_FULLFSYNC empties it.
        if fcntl(descriptor, F_FULLFSYNC) == 0 { return }
        #endif
        guard fsync(descriptor) == 0 else { throw FileIOError.current(path, "cannot flush to disk") }
    }

    /// Flushes `folder`'s entries (names created or renamed in it). File systems that cannot
    /// flush a folder (EINVAL, ENOTSUP) keep the rename without the guarantee.
    static func flushFolder(_ folder: URL, path: String) throws {
        let descriptor = open(folder.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        if fsync(descriptor) != 0, errno != EINVAL, errno != ENOTSUP, errno != EROFS {
            throw FileIOError.current(path, "cannot flush the folder entry to disk")
        }
    }

    /// Flushes a staged file, or a staged folder with everything in it.
    static func flushTree(_ url: URL, path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            for name in try entries(of: url) {
                try flushTree(url.appendingPathComponent(name), path: path + "/" + name)
            }
            try flushFolder(url, path: path)
            return
        }
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIOError.current(path, "cannot open the written file") }
        defer { close(descriptor) }
        try flush(descriptor, path: path)
    }

    /// rename(2), replacing `destination`; a non-empty folder in the way is first moved
    /// into `asideFolder` (which the caller removes).
    private static func move(_ source: URL, to destination: URL, asideIn asideFolder: URL) throws {
        if rename(source.path, destination.path) == 0 { return }
        guard errno == ENOTEMPTY || errno == EEXIST || errno == EISDIR || errno == ENOTDIR else {
            throw FileIOError.current(destination.path, "cannot move the written entry into place")
        }
        let aside = asideFolder.appendingPathComponent(".replaced-\(destination.lastPathComponent)")
        guard rename(destination.path, aside.path) == 0 else {
            throw FileIOError.current(destination.path, "cannot move the old entry aside")
        }
        guard rename(source.path, destination.path) == 0 else {
            let error = FileIOError.current(destination.path, "cannot move the written entry into place")
            _ = rename(aside.path, destination.path)
            throw error
        }
    }

    /// The names in a folder, without `.` and `..`.
    static func entries(of folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw FileIOError(path: folder.path, action: "cannot list the folder", errorNumber: EIO,
                              reason: (error as NSError).localizedDescription)
        }
    }
}
