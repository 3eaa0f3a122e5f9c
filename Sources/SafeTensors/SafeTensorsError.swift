import Foundation

/// An error reading or writing a safetensors file or its checkpoint folder.
///
/// Every error names the file it concerns and, where one is at fault, the tensor (or
/// config field); ``description`` is a one-line message fit for a command-line tool:
///
/// ```
/// /models/gpt2/model.safetensors: tensor 'transformer.wte.weight': needs data bytes 0..<256000 but the data section has only 1024 bytes (the file is truncated)
/// ```
///
/// Tests and callers that need to react to a specific problem switch on ``kind``.
public struct SafeTensorsError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file or folder does not exist or cannot be opened or read.
        case cannotOpen
        /// The path names a directory or device, not a regular file.
        case notARegularFile
        /// The file is shorter than the 8-byte header length.
        case fileTooSmall
        /// The header length is larger than the file (or than the 100 MB the format allows).
        case headerTooLarge
        /// The header is not valid UTF-8 JSON of the expected structure.
        case invalidHeader
        /// A tensor's `dtype` is not one of the format's element types.
        case unknownDType
        /// A tensor's shape has a negative dimension or its element count overflows.
        case invalidShape
        /// A tensor's `data_offsets` are malformed (not two non-negative numbers with begin <= end).
        case invalidOffsets
        /// A tensor's byte count is not `dtype size * product(shape)`.
        case byteCountMismatch
        /// Two tensors' byte ranges overlap.
        case overlappingTensors
        /// A tensor's bytes extend past the end of the file.
        case truncatedData
        /// The file holds no tensor of the requested name.
        case tensorNotFound
        /// The tensor's element type cannot be converted as requested.
        case unsupportedConversion
        /// A caller-provided buffer does not have one slot per element.
        case bufferSizeMismatch
        /// The data section does not match the checksum stored in the metadata.
        case checksumMismatch
        /// The file was written by a newer format version or with an unknown checksum algorithm.
        case unsupportedFormat
        /// The writer was given a bad tensor: duplicate or empty name, shape not matching
        /// the value count, an element type it cannot write, or a reserved metadata key.
        case invalidTensor
        /// Writing the file (or moving it into place) failed.
        case writeFailed
        /// The checkpoint's `config.json` (or shard index) is missing, not JSON, or lacks
        /// or mistypes a field.
        case invalidConfig
    }

    /// What went wrong.
    public let kind: Kind
    /// The file at fault, as a path.
    public let path: String
    /// The tensor at fault, if one is.
    public let tensor: String?
    /// A human-readable explanation of the problem.
    public let detail: String

    /// Creates an error; the library's own code is the usual caller.
    public init(_ kind: Kind, path: String, tensor: String? = nil, detail: String) {
        self.kind = kind
        self.path = path
        self.tensor = tensor
        self.detail = detail
    }

    /// One line: the path, the tensor if any, then the detail.
    public var description: String {
        if let tensor {
            return "\(path): tensor '\(tensor)': \(detail)"
        }
        return "\(path): \(detail)"
    }

    /// The same as ``description``, so Foundation's `localizedDescription` is useful too.
    public var errorDescription: String? { description }
}

extension SafeTensorsError {
    /// An error for a failed system call, with `errno`'s text.
    static func system(_ kind: Kind, path: String, action: String, errorNumber: Int32) -> SafeTensorsError {
        let reason = String(cString: strerror(errorNumber))
        return SafeTensorsError(kind, path: path, detail: "\(action) failed: \(reason) (errno \(errorNumber))")
    }
}
