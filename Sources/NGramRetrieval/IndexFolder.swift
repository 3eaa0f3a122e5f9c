import Foundation

/// Atomic replacement of folders: write into a staging folder beside the target, then swap.
enum IndexFolder {
    /// Calls `fill` with an empty staging folder; when it returns, the staging folder takes
    /// `target`'s name (an existing `target` is moved aside first and then deleted). If
    /// `fill` throws, the staging folder is removed and `target` is untouched.
    static func replace(_ target: URL, fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(suffix)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw RetrievalError.fileAccess(path: staging.path, reason: "cannot create folder (\(error.localizedDescription))")
        }
        do {
            try fill(staging)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(suffix)")
        let hadTarget = manager.fileExists(atPath: target.path)
        do {
            if hadTarget { try manager.moveItem(at: target, to: old) }
            try manager.moveItem(at: staging, to: target)
        } catch {
            if hadTarget && !manager.fileExists(atPath: target.path) { try? manager.moveItem(at: old, to: target) }
            try? manager.removeItem(at: staging)
            throw RetrievalError.fileAccess(path: target.path, reason: "cannot move the new folder into place (\(error.localizedDescription))")
        }
        if hadTarget { try? manager.removeItem(at: old) }
        // Old folders a killed run left behind (see `resolve`) are superseded now.
        let stalePrefix = ".\(target.lastPathComponent).old-"
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(stalePrefix) {
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// The folder to read `target` from: `target` itself, or, when a crash struck between the
    /// two renames of ``replace(_:fill:)`` (old folder moved aside, new one not yet in
    /// place), the complete old folder under its `.<name>.old-*` name. Readers use this so
    /// a killed `retrieve index build` or `retrieve train` never leaves the index unloadable.
    static func resolve(_ target: URL) -> URL {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: target.path) else { return target }
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).old-"
        let candidates = ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? [])
            .filter { $0.hasPrefix(prefix) }
            .map { parent.appendingPathComponent($0) }
        // The newest one moved aside is the last complete version.
        let newest = candidates.max { modificationDate($0) < modificationDate($1) }
        return newest ?? target
    }

    private static func modificationDate(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
