/// Vectorised math on `SIMD8<Float>`: transcendental functions and row reductions.
///
/// `exp` follows Cephes' `expf` (range reduction by ln 2, degree-5 polynomial, relative
/// error below 2e-7). Two rules keep the generated code vectorised: clamp with
/// `replacing(with:where:)` (the generic `pointwiseMin`/`pointwiseMax` compile to calls), and
/// do float-to-int work by bit tricks (generic SIMD conversions run lane by lane).
/// Reductions keep eight partial sums, because the compiler may not reorder a scalar float sum.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    // Computed, not stored: a stored static is a lazily initialised global, checked on
    // every access in the hot loop.
    @inline(__always) static var expUpper: Vector { Vector(repeating: 88.3762626647949) }
    @inline(__always) static var expLower: Vector { Vector(repeating: -87.3365447504019) }

    /// e^x for finite, NaN-free input; inputs are clamped to the representable range, so
    /// very negative inputs give about 1e-38 rather than 0 (use ``exp(_:)`` where exact zeros
    /// or infinities matter).
    @inline(__always)
    static func expClamped(_ input: Vector) -> Vector {
        var x = input.replacing(with: expUpper, where: input .> expUpper)
        x.replace(with: expLower, where: x .< expLower)
        return expInRange(x)
    }

    /// The polynomial core: e^x for x already in `[expLower, expUpper]`.
    @inline(__always)
    static func expInRange(_ x: Vector) -> Vector {
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: adding it leaves the rounded integer
        // in the low mantissa bits.
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
        // 2^n: move the integer n from the low bits of `shifted` into the exponent field.
        let integerBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((integerBits &+ 127) &<< 23, to: Vector.self)
    }

    /// e^x for x <= 0 (softmax after subtracting the row maximum): exactly 0 below the normal
    /// range, so masked (-inf) scores get no weight; NaN propagates through the arithmetic.
    /// Skips the upper clamp and the infinity/NaN fix-ups of ``exp(_:)``.
    @inline(__always)
    static func expNonPositive(_ input: Vector) -> Vector {
        var result = expInRange(input.replacing(with: expLower, where: input .< expLower))
        result.replace(with: Vector(repeating: 0), where: input .< expLower)
        return result
    }

    /// Scalar form of ``expClamped(_:)`` for row tails.
    @inline(__always)
    static func expClamped(_ x: Float) -> Float { expClamped(Vector(repeating: x))[0] }

    /// e^x with IEEE edge cases: exactly 0 below the normal range (masked attention
    /// scores), +inf above it, NaN for NaN.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        var result = expClamped(input)
        result.replace(with: Vector(repeating: 0), where: input .< expLower)
        result.replace(with: Vector(repeating: .infinity), where: input .> expUpper)
        result.replace(with: input, where: input .!= input)
        return result
    }

    /// e^x of a scalar with the same edge cases as the vector version.
    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Vector(repeating: x))[0] }

    /// Logistic sigmoid `1 / (1 + e^-x)`; saturates correctly at both ends.
    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector { Vector(repeating: 1) / (Vector(repeating: 1) + expClamped(-x)) }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }

    /// Sum of `count` floats.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var accumulator = Vector(repeating: 0)
        var j = 0
        while j + 8 <= count { accumulator += load(x + j); j += 8 }
        var total = accumulator.sum()
        while j < count { total += x[j]; j += 1 }
        return total
    }

    /// Maximum of `count` floats (-inf when empty).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var accumulator = Vector(repeating: -.infinity)
        var j = 0
        while j + 8 <= count {
            let v = load(x + j)
            accumulator.replace(with: v, where: v .> accumulator)
            j += 8
        }
        var result = accumulator.max()
        while j < count { result = Swift.max(result, x[j]); j += 1 }
        return result
    }

    /// Sum of squared deviations from `mean`.
    @inline(__always)
    static func squaredDeviation(_ x: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
        var accumulator = Vector(repeating: 0)
        let m = Vector(repeating: mean)
        var j = 0
        while j + 8 <= count { let d = load(x + j) - m; accumulator += d * d; j += 8 }
        var total = accumulator.sum()
        while j < count { let d = x[j] - mean; total += d * d; j += 1 }
        return total
    }
}

/// Dot product of two float buffers.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var accumulator = SIMD8<Float>(repeating: 0)
    var j = 0
    while j + 8 <= count {
        accumulator += VectorMath.load(a + j) * VectorMath.load(b + j)
        j += 8
    }
    var total = accumulator.sum()
    while j < count { total += a[j] * b[j]; j += 1 }
    return total
}
