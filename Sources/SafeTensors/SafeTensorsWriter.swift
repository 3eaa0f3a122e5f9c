import FileIO
import Foundation

/// Builds a safetensors file from named `Float` tensors and writes it atomically.
///
/// Tensors are stored as F32, F16 or BF16 (rounded to nearest even), laid out like the
/// reference implementation's `serialize`: larger element types first (so every tensor
/// stays aligned to its element size), then by name, making the bytes a function of the
/// contents alone. The header is padded with spaces to a multiple of 8 bytes, and
/// ``CheckpointIntegrity``'s version and checksum are added to the metadata.
///
/// ```swift
/// var writer = SafeTensorsWriter(path: "run/model.safetensors", metadata: ["step": "1000"])
/// try writer.add("wte.weight", shape: [1000, 64], values: embeddings)            // F32
/// try writer.add("lm_head.weight", shape: [1000, 64], values: head, as: .f16)
/// try writer.write()
/// ```
///
/// Values are encoded when added, so the writer holds one copy of the file's data section.
public struct SafeTensorsWriter: Sendable {
    /// The file ``write()`` creates or replaces.
    public let path: String
    /// Caller metadata written to `__metadata__` (keys starting `nexttoken.` are reserved).
    public private(set) var metadata: [String: String]

    private var pending: [String: PendingTensor] = [:]

    private struct PendingTensor: Sendable {
        let dtype: SafeTensorsDType
        let shape: [Int]
        let bytes: [UInt8]
    }

    /// Starts an empty file destined for `path`.
    ///
    /// - Parameters:
    ///   - path: Where ``write()`` puts the file; its directory must exist.
    ///   - metadata: String pairs stored in the header (for example `"format": "pt"`).
    /// - Throws: ``SafeTensorsError`` `.invalidTensor` if a key uses the reserved prefix.
    public init(path: String, metadata: [String: String] = [:]) throws {
        self.path = path
        self.metadata = metadata
        if let reserved = metadata.keys.sorted().first(where: { $0.hasPrefix(CheckpointIntegrity.reservedPrefix) }) {
            throw SafeTensorsError(.invalidTensor, path: path,
                                   detail: "metadata key '\(reserved)' uses the reserved prefix '\(CheckpointIntegrity.reservedPrefix)'")
        }
    }

    /// The names added so far, in file order.
    public var names: [String] { orderedNames() }

    /// Adds a tensor.
    ///
    /// - Parameters:
    ///   - name: Unique, non-empty, not `__metadata__`.
    ///   - shape: Dimensions whose product equals `values.count`.
    ///   - values: The elements in row-major order.
    ///   - dtype: `.f32` (default), `.f16` or `.bf16`.
    /// - Throws: ``SafeTensorsError`` `.invalidTensor` naming the file and tensor.
    public mutating func add(_ name: String, shape: [Int], values: [Float], as dtype: SafeTensorsDType = .f32) throws {
        try values.withUnsafeBufferPointer { try add(name, shape: shape, values: $0, as: dtype) }
    }

    /// Adds a tensor from a buffer (for example a tensor's storage); see ``add(_:shape:values:as:)-(_,_,[Float],_)``.
    public mutating func add(_ name: String, shape: [Int], values: UnsafeBufferPointer<Float>,
                             as dtype: SafeTensorsDType = .f32) throws {
        func failure(_ detail: String) -> SafeTensorsError {
            SafeTensorsError(.invalidTensor, path: path, tensor: name, detail: detail)
        }
        guard !name.isEmpty, name != "__metadata__" else { throw failure("is not a valid tensor name") }
        guard pending[name] == nil else { throw failure("was already added") }
        guard [.f32, .f16, .bf16].contains(dtype) else {
            throw failure("cannot write dtype \(dtype.rawValue); use F32, F16 or BF16")
        }
        var elementCount = 1
        for dimension in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else { throw failure("shape \(shape) is invalid") }
            elementCount = product
        }
        guard elementCount == values.count else {
            throw failure("shape \(shape) has \(elementCount) elements but \(values.count) values were given")
        }
        pending[name] = PendingTensor(dtype: dtype, shape: shape, bytes: ElementConversion.encode(values, as: dtype))
    }

    /// Writes the file atomically (`FileIO.AtomicWrite`: a temporary file in the same
    /// directory, flushed to disk, renamed over `path`, the directory flushed).
    ///
    /// - Throws: ``SafeTensorsError`` `.writeFailed`; the destination is then unchanged.
    public func write() throws {
        let names = orderedNames()
        var crc = CRC32()
        var entries: [(name: String, dtype: SafeTensorsDType, shape: [Int], offsets: Range<Int>)] = []
        var offset = 0
        for name in names {
            let tensor = pending[name]!
            tensor.bytes.withUnsafeBytes { crc.update($0) }
            entries.append((name, tensor.dtype, tensor.shape, offset..<(offset + tensor.bytes.count)))
            offset += tensor.bytes.count
        }
        var fullMetadata = metadata
        fullMetadata[CheckpointIntegrity.formatVersionKey] = CheckpointIntegrity.formatVersion
        fullMetadata[CheckpointIntegrity.checksumKey] = CheckpointIntegrity.checksumString(crc.value)

        var header = Array(Self.headerJSON(metadata: fullMetadata, entries: entries).utf8)
        // The reference pads with spaces so the data section starts 8-byte aligned.
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var lengthField = UInt64(header.count).littleEndian

        do {
            try AtomicWrite.stream(to: URL(fileURLWithPath: path)) { write in
                try withUnsafeBytes(of: &lengthField) { try write($0) }
                try header.withUnsafeBytes { try write($0) }
                for name in names {
                    try pending[name]!.bytes.withUnsafeBytes { try write($0) }
                }
            }
        } catch let error as FileIOError {
            throw SafeTensorsError(.writeFailed, path: path, detail: "\(error.action): \(error.reason) (errno \(error.errorNumber))")
        }
    }

    /// Larger element size first, then name: the reference's order, which keeps alignment.
    private func orderedNames() -> [String] {
        pending.keys.sorted { left, right in
            let leftSize = pending[left]!.dtype.byteSize, rightSize = pending[right]!.dtype.byteSize
            return leftSize != rightSize ? leftSize > rightSize : left < right
        }
    }

    /// The header JSON, written by hand so that key order (metadata sorted, then tensors in
    /// file order) and thus the file's bytes are deterministic.
    private static func headerJSON(metadata: [String: String],
                                   entries: [(name: String, dtype: SafeTensorsDType, shape: [Int], offsets: Range<Int>)]) -> String {
        var parts: [String] = []
        let metadataPairs = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
        parts.append("\"__metadata__\":{\(metadataPairs.joined(separator: ","))}")
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append("\(quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(entry.offsets.lowerBound),\(entry.offsets.upperBound)]}")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
