/// A fast, seedable random number generator (xoshiro256**, Blackman & Vigna 2018),
/// seeded through SplitMix64 so that nearby seeds give unrelated streams.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// let weights = Tensor.normal([256, 256], standardDeviation: 0.02, using: &generator)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// The next 64 random bits (one xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform float in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box-Muller).
    public mutating func nextNormal() -> Float {
        var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif

/// Seeded random initialisation.
extension Tensor {
    /// Uniform values in `[lower, upper)`.
    public static func uniform(_ shape: [Int], lower: Float = 0, upper: Float = 1, using generator: inout SeededGenerator) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        for i in 0..<result.count { result.base[i] = lower + (upper - lower) * generator.nextUnitFloat() }
        return result
    }

    /// Normal values with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout SeededGenerator) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        for i in 0..<result.count { result.base[i] = mean + standardDeviation * generator.nextNormal() }
        return result
    }

    /// Xavier/Glorot uniform initialisation (Glorot & Bengio 2010): `U(-a, a)`,
    /// `a = sqrt(6 / (fanIn + fanOut))`.
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) -> Tensor {
        let bound = (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape, lower: -bound, upper: bound, using: &generator)
    }

    /// Kaiming/He normal initialisation (He et al. 2015) for ReLU-like layers:
    /// `N(0, 2 / fanIn)`.
    public static func kaimingNormal(_ shape: [Int], fanIn: Int, using generator: inout SeededGenerator) -> Tensor {
        normal(shape, standardDeviation: (2 / Float(Swift.max(fanIn, 1))).squareRoot(), using: &generator)
    }

    /// Kaiming uniform initialisation, as PyTorch's `nn.Linear` default (`a = sqrt(5)`):
    /// `U(-1/sqrt(fanIn), 1/sqrt(fanIn))`.
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, using generator: inout SeededGenerator) -> Tensor {
        let bound = 1 / Float(Swift.max(fanIn, 1)).squareRoot()
        return uniform(shape, lower: -bound, upper: bound, using: &generator)
    }
}
