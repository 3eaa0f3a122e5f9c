import Foundation

/// A safetensors file opened for reading, memory-mapped so that only the tensors you
/// read are ever paged in.
///
/// Opening parses and validates the whole header (dtypes, shapes, offsets, that every
/// tensor lies inside the file and none overlap) and, for files NextToken wrote, checks
/// the data checksum (see ``CheckpointIntegrity``). After that, reading a tensor cannot
/// fail except by asking for a missing name or an unsupported conversion.
///
/// ```swift
/// let file = try SafeTensorsFile(path: "gpt2/model.safetensors")
/// for name in file.names {
///     let info = try file.info(name)
///     print(name, info.dtype, info.shape)
/// }
/// let embeddings = try file.floats("transformer.wte.weight")   // [V * C]
/// ```
///
/// Instances are immutable and safe to read from several threads at once.
public final class SafeTensorsFile: Sendable {
    /// The file's path, as given to the initializer.
    public let path: String
    /// The header's `__metadata__` entries (empty when absent).
    public var metadata: [String: String] { header.metadata }
    /// The tensor names, in the order of their bytes in the file.
    public var names: [String] { header.tensors.map(\.name) }
    /// Every tensor's description, in the order of their bytes in the file.
    public var tensors: [TensorInfo] { header.tensors }

    private let mapping: MappedFile
    private let header: SafeTensorsHeader

    /// Opens and validates the file at `path`.
    ///
    /// - Parameters:
    ///   - path: A `.safetensors` file.
    ///   - verifyChecksum: Whether to hash the data section when the metadata records a
    ///     checksum (one pass over the file, at several GB/s). Files without one are never hashed.
    /// - Throws: ``SafeTensorsError`` naming the file, and the tensor when one is at fault.
    public init(path: String, verifyChecksum: Bool = true) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        header = try SafeTensorsHeader(bytes: mapping.bytes, path: path)
        let data = UnsafeRawBufferPointer(rebasing: mapping.bytes[header.dataStart...])
        try CheckpointIntegrity.check(header.metadata, data: data, verifyChecksum: verifyChecksum, path: path)
    }

    /// Opens and validates the file at `url` (a file URL); see ``init(path:verifyChecksum:)``.
    public convenience init(url: URL, verifyChecksum: Bool = true) throws {
        try self.init(path: url.path, verifyChecksum: verifyChecksum)
    }

    /// Whether the file holds a tensor named `name`.
    public func contains(_ name: String) -> Bool {
        header.indexByName[name] != nil
    }

    /// The dtype, shape and byte range of tensor `name`.
    ///
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound`.
    public func info(_ name: String) throws -> TensorInfo {
        guard let index = header.indexByName[name] else {
            throw SafeTensorsError(.tensorNotFound, path: path, tensor: name,
                                   detail: "no such tensor in this file (it has \(header.tensors.count) tensors)")
        }
        return header.tensors[index]
    }

    /// The elements of tensor `name` converted to `Float`, in row-major order.
    ///
    /// F32 is copied as is; F16, BF16 and F64 are converted (F16 and BF16 exactly), and
    /// integer and boolean types are converted to the nearest `Float`.
    ///
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound` or `.unsupportedConversion` (8-bit floats).
    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        try checkConvertible(info)
        return [Float](unsafeUninitializedCapacity: info.elementCount) { buffer, initialized in
            convert(info, into: buffer)
            initialized = info.elementCount
        }
    }

    /// Converts tensor `name` to `Float` into a buffer the caller owns, for example a
    /// tensor's storage, avoiding an intermediate array.
    ///
    /// - Parameters:
    ///   - name: The tensor.
    ///   - destination: Exactly `info(name).elementCount` slots.
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound`, `.unsupportedConversion`, or
    ///   `.bufferSizeMismatch` when the buffer has the wrong size.
    public func read(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let info = try info(name)
        try checkConvertible(info)
        guard destination.count == info.elementCount else {
            throw SafeTensorsError(.bufferSizeMismatch, path: path, tensor: name,
                                   detail: "destination has \(destination.count) slots but shape \(info.shape) has \(info.elementCount) elements")
        }
        convert(info, into: destination)
    }

    /// The elements of an integer or boolean tensor `name` as `Int` (for index buffers
    /// such as `position_ids`).
    ///
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound`, or `.unsupportedConversion` for
    ///   a float tensor or a `U64` value above `Int.max`.
    public func integers(_ name: String) throws -> [Int] {
        let info = try info(name)
        guard let values = ElementConversion.integers(bytes(of: info), from: info.dtype, count: info.elementCount) else {
            throw SafeTensorsError(.unsupportedConversion, path: path, tensor: name,
                                   detail: "dtype \(info.dtype.rawValue) cannot be read as integers")
        }
        return values
    }

    /// Calls `body` with the tensor's raw little-endian bytes straight from the mapping,
    /// without copying; the pointer is valid only inside `body`.
    ///
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound`, or whatever `body` throws.
    public func withRawBytes<Result>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        let info = try info(name)
        return try withExtendedLifetime(mapping) { try body(bytes(of: info)) }
    }

    private func bytes(of info: TensorInfo) -> UnsafeRawBufferPointer {
        let start = header.dataStart + info.dataOffsets.lowerBound
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<(start + info.byteCount)])
    }

    private func checkConvertible(_ info: TensorInfo) throws {
        guard info.dtype.isConvertibleToFloat else {
            throw SafeTensorsError(.unsupportedConversion, path: path, tensor: info.name,
                                   detail: "dtype \(info.dtype.rawValue) cannot be converted to Float")
        }
    }

    private func convert(_ info: TensorInfo, into destination: UnsafeMutableBufferPointer<Float>) {
        let start = header.dataStart + info.dataOffsets.lowerBound
        // Large tensors: ask for read-ahead so the copy does not stall on each page fault.
        if info.byteCount >= 1 << 20 {
            mapping.adviseSequentialRead(start..<(start + info.byteCount))
        }
        withExtendedLifetime(mapping) {
            ElementConversion.convert(bytes(of: info), from: info.dtype, into: destination)
        }
    }
}
