import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file system operation that failed, naming the path the caller asked for and the
/// operating system's reason.
///
/// ``description`` is one line fit for a command-line error:
///
/// ```
/// /runs/a/config.json: cannot create a temporary file beside it (Permission denied)
/// ```
///
/// Modules with their own error type (``AtomicWrite`` callers such as a checkpoint writer)
/// catch this error and wrap ``action`` and ``reason`` into theirs.
///
/// ```swift
/// do {
///     try AtomicWrite.data(bytes, to: url)
/// } catch let error as FileIOError {
///     print("error: \(error)")   // error: /out/x.json: cannot ... (No space left on device)
/// }
/// ```
public struct FileIOError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The file or folder the caller named (the destination, never a temporary name).
    public let path: String
    /// What could not be done, for example `cannot write` or `cannot move into place`.
    public let action: String
    /// The operating system's text for ``errorNumber`` (`strerror`), for example
    /// `No space left on device`.
    public let reason: String
    /// The `errno` value, for callers that react to a specific failure such as `ENOSPC`.
    public let errorNumber: Int32

    /// Creates an error; `reason` defaults to the system's text for `errorNumber`.
    ///
    /// ```swift
    /// FileIOError(path: "/x/y.json", action: "cannot write", errorNumber: ENOSPC)
    /// ```
    public init(path: String, action: String, errorNumber: Int32, reason: String? = nil) {
        self.path = path
        self.action = action
        self.errorNumber = errorNumber
        self.reason = reason ?? String(cString: strerror(errorNumber))
    }

    /// One line: `path: action (reason)`.
    public var description: String { "\(path): \(action) (\(reason))" }

    /// The same as ``description``, so Foundation's `localizedDescription` is useful too.
    public var errorDescription: String? { description }

    /// An error for the system call that just failed, reading the current `errno`.
    static func current(_ path: String, _ action: String) -> FileIOError {
        FileIOError(path: path, action: action, errorNumber: errno)
    }
}
