import Foundation

/// Converts a tensor's raw little-endian bytes to `Float` or `Int`, and `Float`s to the
/// bytes the writer stores.
///
/// Sources may be unaligned (nothing in the format aligns the data section), so every
/// load is `loadUnaligned`; on x86_64 and arm64 that costs nothing.
enum ElementConversion {
    /// Fills `destination` (one slot per element) from `source` holding `dtype` elements.
    ///
    /// The caller has checked the sizes and that `dtype.isConvertibleToFloat`.
    static func convert(_ source: UnsafeRawBufferPointer, from dtype: SafeTensorsDType,
                        into destination: UnsafeMutableBufferPointer<Float>) {
        guard let output = destination.baseAddress, !source.isEmpty else { return }
        let count = destination.count
        switch dtype {
        case .f32:
            #if _endian(little)
            // The file's bytes are already this machine's Float layout: a plain copy.
            UnsafeMutableRawPointer(output).copyMemory(from: source.baseAddress!, byteCount: count * 4)
            #else
            map(source, count, output, UInt32.self) { Float(bitPattern: UInt32(littleEndian: $0)) }
            #endif
        case .f16: map(source, count, output, UInt16.self) { HalfPrecision.float(fromHalfBits: UInt16(littleEndian: $0)) }
        case .bf16: map(source, count, output, UInt16.self) { HalfPrecision.float(fromBFloat16Bits: UInt16(littleEndian: $0)) }
        case .f64: map(source, count, output, UInt64.self) { Float(Double(bitPattern: UInt64(littleEndian: $0))) }
        case .i64: map(source, count, output, Int64.self) { Float(Int64(littleEndian: $0)) }
        case .i32: map(source, count, output, Int32.self) { Float(Int32(littleEndian: $0)) }
        case .i16: map(source, count, output, Int16.self) { Float(Int16(littleEndian: $0)) }
        case .i8: map(source, count, output, Int8.self) { Float($0) }
        case .u64: map(source, count, output, UInt64.self) { Float(UInt64(littleEndian: $0)) }
        case .u32: map(source, count, output, UInt32.self) { Float(UInt32(littleEndian: $0)) }
        case .u16: map(source, count, output, UInt16.self) { Float(UInt16(littleEndian: $0)) }
        case .u8, .bool: map(source, count, output, UInt8.self) { Float($0) }
        case .f8E4M3, .f8E5M2: preconditionFailure("caller checks isConvertibleToFloat")
        }
    }

    /// Reads integer elements as `Int`; nil for a non-integer `dtype` or a `U64` value
    /// above `Int.max`.
    static func integers(_ source: UnsafeRawBufferPointer, from dtype: SafeTensorsDType, count: Int) -> [Int]? {
        func load<T: FixedWidthInteger>(_ type: T.Type) -> [Int]? {
            var result = [Int]()
            result.reserveCapacity(count)
            for index in 0..<count {
                let value = T(littleEndian: source.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
                guard let exact = Int(exactly: value) else { return nil }
                result.append(exact)
            }
            return result
        }
        switch dtype {
        case .i64: return load(Int64.self)
        case .i32: return load(Int32.self)
        case .i16: return load(Int16.self)
        case .i8: return load(Int8.self)
        case .u64: return load(UInt64.self)
        case .u32: return load(UInt32.self)
        case .u16: return load(UInt16.self)
        case .u8, .bool: return load(UInt8.self)
        default: return nil
        }
    }

    /// Encodes `values` as little-endian `dtype` bytes (F32, F16 or BF16).
    static func encode(_ values: UnsafeBufferPointer<Float>, as dtype: SafeTensorsDType) -> [UInt8] {
        let count = values.count
        return [UInt8](unsafeUninitializedCapacity: count * dtype.byteSize) { bytes, initialized in
            let raw = UnsafeMutableRawBufferPointer(bytes)
            switch dtype {
            case .f32:
                for index in 0..<count {
                    raw.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            case .f16:
                for index in 0..<count {
                    raw.storeBytes(of: HalfPrecision.halfBits(from: values[index]).littleEndian, toByteOffset: index * 2, as: UInt16.self)
                }
            case .bf16:
                for index in 0..<count {
                    raw.storeBytes(of: HalfPrecision.bfloat16Bits(from: values[index]).littleEndian, toByteOffset: index * 2, as: UInt16.self)
                }
            default:
                preconditionFailure("the writer checks the dtype")
            }
            initialized = count * dtype.byteSize
        }
    }

    /// Applies `transform` to each `T` loaded from `source`, writing `count` Floats.
    @inline(__always)
    private static func map<T>(_ source: UnsafeRawBufferPointer, _ count: Int, _ output: UnsafeMutablePointer<Float>,
                               _ type: T.Type, _ transform: (T) -> Float) {
        let stride = MemoryLayout<T>.size
        for index in 0..<count {
            output[index] = transform(source.loadUnaligned(fromByteOffset: index * stride, as: T.self))
        }
    }
}
