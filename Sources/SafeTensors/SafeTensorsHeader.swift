import FileIO
import Foundation

// Parses and validates the header of a safetensors file.
// Format: huggingface/safetensors `safetensors/src/tensor.rs` (`SafeTensors::read_metadata`,
// `Metadata::validate`): an 8-byte little-endian header length N, N bytes of JSON
// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}`,
// then the data section, to which the offsets are relative.

/// The validated header of a safetensors file.
///
/// Unlike the reference implementation this accepts gaps between tensors and bytes
/// after the last one (some writers align tensors), but never overlaps or bytes past
/// the end of the file.
struct SafeTensorsHeader: Sendable {
    /// The reference implementation's limit; a larger value means a corrupt length field.
    static let maximumHeaderByteCount = 100_000_000

    /// The byte offset of the data section within the file (8 + N).
    let dataStart: Int
    /// The `__metadata__` entries (empty when absent).
    let metadata: [String: String]
    /// Tensors in the order of their bytes in the data section.
    let tensors: [TensorInfo]
    /// Tensor name -> index into `tensors`.
    let indexByName: [String: Int]

    /// Parses and validates the header at the start of `bytes`, the whole file.
    ///
    /// - Throws: ``SafeTensorsError`` naming `path` and, for per-tensor problems, the tensor.
    init(bytes: UnsafeRawBufferPointer, path: String) throws {
        guard bytes.count >= 8 else {
            let what = bytes.isEmpty ? "is empty" : "has only \(bytes.count) bytes"
            throw SafeTensorsError(.fileTooSmall, path: path,
                                   detail: "\(what); a safetensors file starts with an 8-byte header length")
        }
        let declaredLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        let available = bytes.count - 8
        guard declaredLength <= UInt64(available) else {
            throw SafeTensorsError(.headerTooLarge, path: path,
                                   detail: "header length \(declaredLength) exceeds the \(available) bytes after the length field (truncated file or not safetensors)")
        }
        guard declaredLength <= UInt64(Self.maximumHeaderByteCount) else {
            throw SafeTensorsError(.headerTooLarge, path: path,
                                   detail: "header length \(declaredLength) exceeds the format's limit of \(Self.maximumHeaderByteCount) bytes")
        }
        let headerLength = Int(declaredLength)
        dataStart = 8 + headerLength
        let json = Data(bytes[8..<dataStart])
        let raw = try Self.decode(json, path: path)
        metadata = raw.metadata

        let dataLength = bytes.count - dataStart
        // Validate in data order so a truncated file reports the first tensor past the end.
        let entries = raw.entries.sorted { ($0.entry.data_offsets.first ?? 0, $0.name) < ($1.entry.data_offsets.first ?? 0, $1.name) }
        var tensors = try entries.map { try Self.validate($0.name, $0.entry, dataLength: dataLength, path: path) }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        try Self.checkNoOverlap(tensors, path: path)
        self.tensors = tensors
        var indexByName = [String: Int](minimumCapacity: tensors.count)
        for (index, tensor) in tensors.enumerated() { indexByName[tensor.name] = index }
        self.indexByName = indexByName
    }

    /// Decodes the JSON, turning decoder errors into one-line messages with the tensor name.
    private static func decode(_ json: Data, path: String) throws -> RawHeader {
        do {
            return try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let error as DecodingError {
            let codingPath = error.context.codingPath
            let tensor = codingPath.first.map(\.stringValue).flatMap { $0 == RawHeader.metadataKey ? nil : $0 }
            // A number too large for Int lands here too; report it against the field it is in.
            let field = codingPath.dropFirst().first?.stringValue
            let kind: SafeTensorsError.Kind = switch field {
            case "data_offsets": .invalidOffsets
            case "shape": .invalidShape
            default: .invalidHeader
            }
            throw SafeTensorsError(kind, path: path, tensor: tensor,
                                   detail: "invalid JSON header: \(error.oneLineDescription)")
        } catch {
            throw SafeTensorsError(.invalidHeader, path: path, detail: "invalid JSON header: \(error)")
        }
    }

    /// Checks one entry's dtype, shape and offsets against each other and the file size.
    private static func validate(_ name: String, _ entry: RawEntry, dataLength: Int, path: String) throws -> TensorInfo {
        func failure(_ kind: SafeTensorsError.Kind, _ detail: String) -> SafeTensorsError {
            SafeTensorsError(kind, path: path, tensor: name, detail: detail)
        }
        guard let dtype = SafeTensorsDType(rawValue: entry.dtype) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw failure(.unknownDType, "unknown dtype '\(entry.dtype)' (expected one of \(known))")
        }
        guard let shape = exactIntegers(entry.shape) else {
            throw failure(.invalidShape, "shape \(entry.shape.map(describe)) must hold integers below 2^53")
        }
        var byteCount = dtype.byteSize
        for dimension in shape {
            guard dimension >= 0 else { throw failure(.invalidShape, "shape \(shape) has a negative dimension") }
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw failure(.invalidShape, "shape \(shape) is too large to address") }
            byteCount = product
        }
        guard let offsets = exactIntegers(entry.data_offsets), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw failure(.invalidOffsets,
                          "data_offsets \(entry.data_offsets.map(describe)) must be [begin, end] with integers 0 <= begin <= end < 2^53")
        }
        let range = offsets[0]..<offsets[1]
        guard range.count == byteCount else {
            throw failure(.byteCountMismatch,
                          "data_offsets \(offsets) span \(range.count) bytes but \(dtype.rawValue) x shape \(shape) needs \(byteCount)")
        }
        guard range.upperBound <= dataLength else {
            throw failure(.truncatedData,
                          "needs data bytes \(range.lowerBound)..<\(range.upperBound) but the data section has only \(dataLength) bytes (the file is truncated or the offsets are wrong)")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: range)
    }

    /// JSON numbers as exact integers, or nil if any is fractional or beyond 2^53.
    ///
    /// The header's numbers are decoded as Double because Foundation's decoder reports an
    /// integer too large for Int as "not valid JSON" with no coding path, losing the tensor name.
    private static func exactIntegers(_ numbers: [Double]) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(numbers.count)
        for number in numbers {
            guard abs(number) <= 0x1p53, let exact = Int(exactly: number) else { return nil }
            result.append(exact)
        }
        return result
    }

    /// A header number as written: integral values without a fraction.
    private static func describe(_ number: Double) -> String {
        abs(number) <= 0x1p53 && number.rounded() == number ? String(Int(number)) : String(number)
    }

    /// Rejects tensors whose bytes overlap; `tensors` must be sorted by begin offset.
    private static func checkNoOverlap(_ tensors: [TensorInfo], path: String) throws {
        var previous: TensorInfo?
        for tensor in tensors where !tensor.dataOffsets.isEmpty {
            if let previous, tensor.dataOffsets.lowerBound < previous.dataOffsets.upperBound {
                throw SafeTensorsError(.overlappingTensors, path: path, tensor: tensor.name,
                                       detail: "data_offsets \(tensor.dataOffsets.lowerBound)..<\(tensor.dataOffsets.upperBound) overlap those of '\(previous.name)' (\(previous.dataOffsets.lowerBound)..<\(previous.dataOffsets.upperBound))")
            }
            previous = tensor
        }
    }
}

/// The header as JSON, before validation.
private struct RawHeader: Decodable {
    static let metadataKey = "__metadata__"
    var metadata: [String: String] = [:]
    var entries: [(name: String, entry: RawEntry)] = []

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        for key in container.allKeys {
            if key.stringValue == Self.metadataKey {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            }
        }
    }
}

/// One tensor's header entry, spelled as in the file.
private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Double]
    // swiftlint:disable:next identifier_name
    let data_offsets: [Double]
}

/// A coding key for JSON objects whose keys are data (tensor names).
struct DynamicKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
