/// Errors of reading image data and models; each message names the file and what is wrong.
public enum ImageDataError: Error, CustomStringConvertible, Equatable {
    /// A file that cannot be read at all.
    case unreadableFile(path: String, detail: String)
    /// An IDX file whose header or size is wrong.
    case invalidIDX(path: String, detail: String)
    /// A gzip stream that does not inflate.
    case invalidGzip(path: String, detail: String)
    /// A folder of PNGs that does not form a labelled data set.
    case invalidFolder(path: String, detail: String)
    /// Images and labels that do not go together.
    case mismatch(detail: String)
    /// A model file (tokenizer, generator, classifier) that does not load.
    case invalidModel(path: String, detail: String)
    /// A bad argument (class out of range, zero count, ...).
    case invalidArgument(detail: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, detail): return "\(path): cannot read: \(detail)"
        case let .invalidIDX(path, detail): return "\(path): not a valid IDX file: \(detail)"
        case let .invalidGzip(path, detail): return "\(path): invalid gzip data: \(detail)"
        case let .invalidFolder(path, detail): return "\(path): \(detail)"
        case let .mismatch(detail): return detail
        case let .invalidModel(path, detail): return "\(path): \(detail)"
        case let .invalidArgument(detail): return detail
        }
    }
}
