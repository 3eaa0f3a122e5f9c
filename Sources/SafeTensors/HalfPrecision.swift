// Bit-level conversions between Float and the 16-bit float formats.
// Source: Fabian Giesen, "Half to float done quic" and `float_to_half_fast3_rtne`
// (https://gist.github.com/rygorous/2144712, 2156668), public domain; IEEE 754-2008 §3.6
// (binary16); bfloat16 as in TensorFlow/PyTorch (`round_to_nearest_even` in
// c10/util/BFloat16.h).
//
// Written by hand rather than with Swift's `Float16` because that type is unavailable
// on macOS/x86_64 and, without F16C, compiles to a library call per element; these
// branch-free forms vectorize.

/// Exact conversions between `Float` and the bit patterns of IEEE half precision (F16)
/// and bfloat16 (BF16).
///
/// Widening (16 -> 32 bits) is exact for every pattern, including subnormals, signed
/// zeros, infinities and NaN payloads. Narrowing rounds to nearest, ties to even;
/// values beyond the format's range become infinity and NaN stays NaN (quiet).
///
/// ```swift
/// HalfPrecision.float(fromHalfBits: 0x3C00)         // 1.0
/// HalfPrecision.halfBits(from: 65519)              // 0x7BFF (65504, the largest half)
/// HalfPrecision.float(fromBFloat16Bits: 0x3F80)     // 1.0
/// ```
public enum HalfPrecision {
    /// Widens an IEEE half-precision bit pattern to `Float`, exactly.
    ///
    /// - Parameter bits: The 16-bit pattern (1 sign, 5 exponent, 10 mantissa bits).
    /// - Returns: The same value as a `Float`; NaN payloads are kept.
    @inlinable
    public static func float(fromHalfBits bits: UInt16) -> Float {
        let wide = UInt32(bits)
        let sign = (wide & 0x8000) << 16
        // Exponent and mantissa moved to their Float positions, exponent still biased by 15.
        let shifted = (wide & 0x7FFF) << 13
        let exponent = shifted & 0x0F80_0000
        let normal = shifted &+ (112 << 23)  // rebias 15 -> 127
        let infinityOrNaN = normal &+ (112 << 23)  // 31 + 112 + 112 = 255, payload kept
        // Subnormal m * 2^-24: read m as the mantissa of 2^-14 * (1 + m/1024), then
        // subtract 2^-14; exact because both are multiples of 2^-24 with few bits.
        let subnormal = (Float(bitPattern: shifted &+ (113 << 23)) - Float(bitPattern: 113 << 23)).bitPattern
        let magnitude = exponent == 0x0F80_0000 ? infinityOrNaN : (exponent == 0 ? subnormal : normal)
        return Float(bitPattern: magnitude | sign)
    }

    /// Rounds a `Float` to the nearest IEEE half-precision value (ties to even).
    ///
    /// - Parameter value: Any `Float`; magnitudes of 65520 and above become infinity.
    /// - Returns: The half-precision bit pattern.
    @inlinable
    public static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = bits & 0x8000_0000
        let magnitude = bits ^ sign
        let result: UInt32
        if magnitude >= 0x4780_0000 {
            // >= 65536 (rounds to infinity), infinity or NaN; NaN keeps its top payload bits, made quiet.
            result = magnitude > 0x7F80_0000 ? 0x7E00 | ((magnitude >> 13) & 0x3FF) : 0x7C00
        } else if magnitude < 0x3880_0000 {
            // Below 2^-14 the result is subnormal or zero: adding 0.5 lines the half's
            // mantissa up with the Float's low bits and lets the FPU round to nearest even.
            let denormalMagic: UInt32 = 126 << 23
            let sum = Float(bitPattern: magnitude) + Float(bitPattern: denormalMagic)
            result = sum.bitPattern &- denormalMagic
        } else {
            // Normal: rebias, then round the 13 dropped bits to nearest even by hand; a
            // carry out of the mantissa correctly bumps the exponent (up to infinity).
            let mantissaOdd = (magnitude >> 13) & 1
            result = (magnitude &- (112 << 23) &+ 0xFFF &+ mantissaOdd) >> 13
        }
        return UInt16(truncatingIfNeeded: result | (sign >> 16))
    }

    /// Widens a bfloat16 bit pattern to `Float`, exactly (it is the Float's upper half).
    @inlinable
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Rounds a `Float` to the nearest bfloat16 value (ties to even); NaN stays a quiet NaN.
    @inlinable
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        let rounding = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
