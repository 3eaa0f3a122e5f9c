/// Errors of the retrieval pipeline, each naming the file, line or field at fault.
public enum RetrievalError: Error, CustomStringConvertible, Equatable {
    /// A corpus, query or qrels file has a bad record.
    case malformedRecord(path: String, line: Int, reason: String)
    /// A file or folder cannot be read or written.
    case fileAccess(path: String, reason: String)
    /// The index folder is missing a part, has another format version, or is inconsistent.
    case invalidIndex(path: String, reason: String)
    /// An option or setting is out of range.
    case invalidSetting(field: String, reason: String)
    /// The corpus holds no passage.
    case emptyCorpus(path: String)

    public var description: String {
        switch self {
        case let .malformedRecord(path, line, reason): return "\(path):\(line): \(reason)"
        case let .fileAccess(path, reason): return "\(path): \(reason)"
        case let .invalidIndex(path, reason): return "\(path): not a usable retrieval index: \(reason)"
        case let .invalidSetting(field, reason): return "\(field): \(reason)"
        case let .emptyCorpus(path): return "\(path): the corpus holds no passage"
        }
    }
}
