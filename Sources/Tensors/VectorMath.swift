/// Vectorised transcendental functions on `SIMD8<Float>`.
///
/// `exp` follows Cephes' `expf` (range reduction by ln 2, degree-5 minimax polynomial,
/// relative error below 2e-7), so softmax, GELU and SiLU run on whole vectors instead of
/// calling libm once per element.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        let upper = Vector(repeating: 88.3762626647949)
        let lower = Vector(repeating: -87.3365447504019)
        let x = pointwiseMax(pointwiseMin(input, upper), lower)
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: adding it leaves the rounded integer
        // in the low mantissa bits, with no float-to-int conversion (which Swift's generic
        // SIMD conversions would do lane by lane).
        let magic = Vector(repeating: 12_582_912)
        let shifted = x * Vector(repeating: 1.44269504088896341) + magic
        let n = shifted - magic
        // r = x - n ln 2, with ln 2 split in two for accuracy.
        var r = x - n * Vector(repeating: 0.693359375)
        r = r + n * Vector(repeating: 2.12194440e-4)
        var p = Vector(repeating: 1.9875691500e-4)
        p = p * r + Vector(repeating: 1.3981999507e-3)
        p = p * r + Vector(repeating: 8.3334519073e-3)
        p = p * r + Vector(repeating: 4.1665795894e-2)
        p = p * r + Vector(repeating: 1.6666665459e-1)
        p = p * r + Vector(repeating: 5.0000001201e-1)
        let y = p * (r * r) + r + Vector(repeating: 1)
        // 2^n: the integer n sits in the low bits of `shifted`; move it to the exponent field.
        let integerBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((integerBits &+ 127) &<< 23, to: Vector.self)
        var result = y * scale
        // Below the smallest normal, exp is 0 for our purposes (masked attention scores);
        // NaN propagates because min/max above returned the non-NaN bound, so restore it.
        result.replace(with: Vector(repeating: 0), where: input .< lower)
        result.replace(with: Vector(repeating: .infinity), where: input .> upper)
        result.replace(with: input, where: input .!= input)
        return result
    }

    /// Logistic sigmoid `1 / (1 + exp(-x))`.
    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// Scalar `exp` with the same rounding behaviour as the vector version (for row tails).
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        exp(Vector(repeating: x))[0]
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}
