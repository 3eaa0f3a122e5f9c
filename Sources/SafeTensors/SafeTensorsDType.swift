// The element types of the safetensors format.
// Source: huggingface/safetensors, `safetensors/src/tensor.rs` (`enum Dtype`), whose
// serialized names ("F32", "BF16", ...) are the raw values here.

/// The element type of one tensor in a safetensors file.
///
/// The raw value is the string the file's JSON header uses, so
/// `SafeTensorsDType(rawValue: "BF16")` parses a header entry.
/// Every type the reference implementation knows is listed, so a file that stores,
/// say, a `BOOL` mask still opens; ``SafeTensorsFile/floats(_:)`` converts all of
/// them except the 8-bit float types.
///
/// ```swift
/// let info = try file.info("lm_head.weight")
/// if info.dtype == .bf16 { print("bfloat16 weights") }
/// ```
public enum SafeTensorsDType: String, Sendable, CaseIterable, Hashable {
    /// 64-bit IEEE 754 float.
    case f64 = "F64"
    /// 32-bit IEEE 754 float.
    case f32 = "F32"
    /// 16-bit IEEE 754 half-precision float (1 sign, 5 exponent, 10 mantissa bits).
    case f16 = "F16"
    /// bfloat16: the upper 16 bits of a 32-bit float.
    case bf16 = "BF16"
    /// 8-bit float, 4 exponent and 3 mantissa bits (not convertible here).
    case f8E4M3 = "F8_E4M3"
    /// 8-bit float, 5 exponent and 2 mantissa bits (not convertible here).
    case f8E5M2 = "F8_E5M2"
    /// Signed 64-bit integer.
    case i64 = "I64"
    /// Signed 32-bit integer.
    case i32 = "I32"
    /// Signed 16-bit integer.
    case i16 = "I16"
    /// Signed 8-bit integer.
    case i8 = "I8"
    /// Unsigned 64-bit integer.
    case u64 = "U64"
    /// Unsigned 32-bit integer.
    case u32 = "U32"
    /// Unsigned 16-bit integer.
    case u16 = "U16"
    /// Unsigned 8-bit integer.
    case u8 = "U8"
    /// Boolean stored as one byte (0 or 1).
    case bool = "BOOL"

    /// The number of bytes one element occupies in the file.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .f8E4M3, .f8E5M2, .i8, .u8, .bool: 1
        }
    }

    /// Whether ``SafeTensorsFile/floats(_:)`` can convert this type to `Float`.
    public var isConvertibleToFloat: Bool {
        switch self {
        case .f8E4M3, .f8E5M2: false
        default: true
        }
    }

    /// Whether this is an integer (or boolean) type, readable with
    /// ``SafeTensorsFile/integers(_:)``.
    public var isInteger: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .u64, .u32, .u16, .u8, .bool: true
        default: false
        }
    }
}
