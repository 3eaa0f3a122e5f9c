/// An error thrown by a tokenizer, its trainer or its file readers and writers.
///
/// Every case that concerns a file carries the file's path and, where the problem sits on a
/// line, the line (and for single-line JSON files the column) so a user can open the file there.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be read or written (missing, unreadable, disk full).
    case fileAccess(path: String, reason: String)
    /// A file's content does not follow its format; `line` and `column` are 1-based.
    case malformedFile(path: String, line: Int, column: Int?, reason: String)
    /// A structured (JSON) file has a missing or invalid field; `field` is its coding path.
    case malformedField(path: String, field: String, reason: String)
    /// A token id has no vocabulary entry.
    case unknownTokenID(_ id: Int, vocabularySize: Int)
    /// A configuration value is out of range or inconsistent; `field` names it.
    case invalidConfiguration(field: String, reason: String)

    /// The message, naming the file (and line), field or token id at fault.
    public var description: String {
        switch self {
        case let .fileAccess(path, reason):
            return "\(path): \(reason)"
        case let .malformedFile(path, line, column, reason):
            if let column {
                return "\(path) line \(line), column \(column): \(reason)"
            }
            return "\(path) line \(line): \(reason)"
        case let .malformedField(path, field, reason):
            return "\(path), field \(field): \(reason)"
        case let .unknownTokenID(id, vocabularySize):
            return "token id \(id) is not in the vocabulary (size \(vocabularySize))"
        case let .invalidConfiguration(field, reason):
            return "\(field): \(reason)"
        }
    }
}
