import Foundation

/// An error raised by a command itself: a bad option value, a file that is missing or of the
/// wrong kind, input that does not fit the model. ``description`` is the one line printed
/// after `error: `.
///
/// ```swift
/// throw CommandFailure.option("--ids", "'1,x' is not a comma-separated list of token ids")
/// try CommandFailure.requireFile(textURL, option: "--text")
/// ```
public struct CommandFailure: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message, naming the option, file or field at fault.
    public let description: String

    /// A failure with a ready-made message.
    public init(_ description: String) { self.description = description }

    /// A bad value for `option`: "`option`: `detail`".
    public static func option(_ option: String, _ detail: String) -> CommandFailure {
        CommandFailure("\(option): \(detail)")
    }

    /// Throws unless `url` names an existing regular file (not a folder).
    public static func requireFile(_ url: URL, option: String) throws {
        switch kind(of: url) {
        case .file: return
        case .directory: throw CommandFailure("\(option) \(url.path): is a folder, expected a file")
        case .missing: throw CommandFailure("\(option) \(url.path): no such file")
        }
    }

    /// Throws unless `url` names an existing folder.
    public static func requireDirectory(_ url: URL, option: String, expecting contents: String = "") throws {
        let what = contents.isEmpty ? "a folder" : "a folder with \(contents)"
        switch kind(of: url) {
        case .directory: return
        case .file: throw CommandFailure("\(option) \(url.path): is a file, expected \(what)")
        case .missing: throw CommandFailure("\(option) \(url.path): no such folder")
        }
    }

    /// What a path names on disk.
    public enum PathKind: Sendable { case file, directory, missing }

    /// Whether `url` names a regular file, a folder, or nothing.
    public static func kind(of url: URL) -> PathKind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }
}
