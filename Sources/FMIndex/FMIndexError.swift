// Errors thrown while building, writing, or loading an FM-index.
//
// Every case carries enough context (file path, document, position) for a user to find
// the fault without a debugger: a corrupt index file should say which file and how.

/// A failure building, saving, or loading an ``FMIndex``.
///
/// Query methods never throw: a token the index has never seen simply matches nothing.
/// Errors are reserved for bad input to ``FMIndex/init(documents:sampleRate:)`` and for
/// index files that cannot be trusted.
public enum FMIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The corpus had no documents.
    case emptyCorpus
    /// A token id was negative or above ``FMIndex/maximumTokenID``.
    case tokenOutOfRange(document: Int, position: Int, token: Int)
    /// The sample rate was below 1.
    case invalidSampleRate(Int)
    /// The corpus (tokens plus one separator per document) does not fit 32-bit positions.
    case corpusTooLarge(positions: Int)
    /// A document index was outside `0..<documentCount`.
    case documentOutOfRange(document: Int, documentCount: Int)
    /// The file does not start with the FM-index magic bytes: it is some other kind of file.
    case notAnIndexFile(path: String)
    /// The file is an FM-index of a format version this build cannot read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file is shorter than its header says: it was cut off while copying or writing.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The payload checksum does not match: the file was changed or damaged after writing.
    case checksumMismatch(path: String, stored: UInt64, computed: UInt64)
    /// The payload passed its checksum but its sections are inconsistent.
    case malformed(path: String, reason: String)
    /// A system call failed while reading or writing the file.
    case io(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .emptyCorpus:
            return "FMIndex: the corpus has no documents; index at least one document"
        case let .tokenOutOfRange(document, position, token):
            return "FMIndex: document \(document), position \(position): token id \(token) is outside "
                + "0...\(FMIndex.maximumTokenID)"
        case let .invalidSampleRate(rate):
            return "FMIndex: sample rate \(rate) is invalid; it must be at least 1"
        case let .corpusTooLarge(positions):
            return "FMIndex: corpus needs \(positions) positions (tokens + one separator per document); "
                + "the limit is \(Int32.max - 2)"
        case let .documentOutOfRange(document, count):
            return "FMIndex: document \(document) does not exist; the index has \(count) documents"
        case let .notAnIndexFile(path):
            return "\(path): not an FM-index file (wrong magic bytes)"
        case let .unsupportedVersion(path, found, supported):
            return "\(path): FM-index format version \(found) is not supported; this build reads version \(supported)"
                + (found < supported ? " (rebuild the index with this build, e.g. `retrieve index build`)" : "")
        case let .truncated(path, expected, actual):
            return "\(path): FM-index file is truncated: expected \(expected) bytes, found \(actual)"
        case let .checksumMismatch(path, stored, computed):
            return "\(path): FM-index file is corrupted: payload checksum is "
                + "\(String(computed, radix: 16)) but the header records \(String(stored, radix: 16))"
        case let .malformed(path, reason):
            return "\(path): FM-index payload is malformed: \(reason)"
        case let .io(path, operation, message):
            return "\(path): \(operation) failed: \(message)"
        }
    }
}
