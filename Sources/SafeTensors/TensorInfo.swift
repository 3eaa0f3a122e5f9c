/// What a safetensors header says about one tensor: its name, element type, shape and
/// where its bytes are.
///
/// Obtained from ``SafeTensorsFile/info(_:)`` once the header has been validated, so
/// `byteCount == dtype.byteSize * elementCount` always holds and the bytes lie inside
/// the file.
///
/// ```swift
/// let info = try file.info("transformer.wte.weight")
/// print(info.dtype, info.shape, info.byteCount)   // f32 [1000, 64] 256000
/// ```
public struct TensorInfo: Sendable, Hashable {
    /// The tensor's name, as the header spells it.
    public let name: String
    /// The element type in the file.
    public let dtype: SafeTensorsDType
    /// The dimensions, outermost first (row-major); `[]` for a scalar.
    public let shape: [Int]
    /// The byte range inside the data section (relative to its start, as in the header's
    /// `data_offsets`).
    public let dataOffsets: Range<Int>

    /// Creates a description; used by the reader after validation.
    public init(name: String, dtype: SafeTensorsDType, shape: [Int], dataOffsets: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }

    /// The number of elements: the product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The number of bytes the tensor occupies in the file.
    public var byteCount: Int { dataOffsets.count }
}
