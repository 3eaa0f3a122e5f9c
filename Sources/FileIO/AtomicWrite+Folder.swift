import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AtomicWrite {
    /// Replaces the folder `target` as a whole (files of the old folder that the new one
    /// lacks disappear): `body` fills a staging folder beside `target`, every staged file is
    /// flushed to disk, the old folder is renamed aside to `.<name>.old-*`, the staging
    /// folder is renamed to `target`, the parent folder is flushed and the old one removed.
    ///
    /// A crash between the two renames leaves no `target` but the complete old folder aside;
    /// readers open ``resolvedFolder(_:)`` instead of `target` to find it, and the next
    /// replacement removes it. If `body` throws, the staging folder is removed and `target`
    /// is untouched.
    ///
    /// ```swift
    /// try AtomicWrite.replaceFolder(URL(fileURLWithPath: "indexes/wiki")) { staging in
    ///     try index.write(to: staging.appendingPathComponent("index.fmi"))
    ///     try AtomicWrite.data(manifest, to: staging.appendingPathComponent("manifest.json"))
    /// }
    /// let folder = AtomicWrite.resolvedFolder(URL(fileURLWithPath: "indexes/wiki"))
    /// ```
    ///
    /// - Throws: ``FileIOError`` naming `target` (or the staging folder it could not
    ///   create), or what `body` throws.
    public static func replaceFolder(_ target: URL, _ body: (_ staging: URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(suffix)", isDirectory: true)
        try createFolder(parent)
        guard mkdir(staging.path, 0o777) == 0 else { throw FileIOError.current(staging.path, "cannot create the folder") }
        var committed = false
        defer { if !committed { try? manager.removeItem(at: staging) } }
        try body(staging)
        try flushTree(staging, path: target.path)

        let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(suffix)")
        let hadTarget = manager.fileExists(atPath: target.path)
        if hadTarget, rename(target.path, old.path) != 0 {
            throw FileIOError.current(target.path, "cannot move the old folder aside")
        }
        guard rename(staging.path, target.path) == 0 else {
            let error = FileIOError.current(target.path, "cannot move the new folder into place")
            if hadTarget { _ = rename(old.path, target.path) }
            throw error
        }
        committed = true
        try flushFolder(parent, path: target.path)
        if hadTarget { try? manager.removeItem(at: old) }
        // Old folders a killed replacement left behind are superseded now.
        let stalePrefix = ".\(target.lastPathComponent).old-"
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(stalePrefix) {
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// The folder to read `target` from: `target` itself, or, when a crash struck between
    /// the two renames of ``replaceFolder(_:_:)``, the newest complete old folder left aside
    /// under `.<name>.old-*`.
    ///
    /// ```swift
    /// let manifest = AtomicWrite.resolvedFolder(indexFolder).appendingPathComponent("manifest.json")
    /// ```
    public static func resolvedFolder(_ target: URL) -> URL {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: target.path) else { return target }
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).old-"
        let candidates = ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? [])
            .filter { $0.hasPrefix(prefix) }
            .map { parent.appendingPathComponent($0) }
        return candidates.max { modificationDate($0) < modificationDate($1) } ?? target
    }

    private static func modificationDate(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
