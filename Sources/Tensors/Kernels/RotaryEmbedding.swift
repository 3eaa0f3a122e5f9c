#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding (Su et al. 2021, "RoFormer", section 3.4), in Hugging Face's
/// `rotate_half` convention: dimension `i` turns together with `i + D/2` by the angle
/// `position * theta^(-2i/D)`.
///
/// The rotation is orthogonal, so backward is the same rotation by the negative angle.
public struct RotaryEmbedding: Sendable {
    /// Head size D (even).
    public let headSize: Int
    /// Inverse frequencies `theta^(-2i/D) / scale`, `i < D/2`.
    public let inverseFrequencies: [Float]

    /// - Parameters:
    ///   - headSize: D, the size of each head.
    ///   - theta: the base (10,000 in LLaMA).
    ///   - positionScale: linear position interpolation (Chen et al. 2023, "Extending Context
    ///     Window of Large Language Models via Positional Interpolation"): positions are
    ///     divided by this factor (1 = off).
    ///   - ntkFactor: NTK-aware scaling (bloc97 2023; the "NTK" case that CLEX, Chen et al.
    ///     2023, generalises): the base becomes `theta * factor^(D / (D - 2))`, which stretches
    ///     the low frequencies by about `factor` and leaves the highest almost unchanged
    ///     (1 = off).
    public init(headSize: Int, theta: Float = 10_000, positionScale: Float = 1, ntkFactor: Float = 1) {
        self.headSize = headSize
        let half = headSize / 2
        let base = Double(theta) * pow(Double(ntkFactor), Double(headSize) / Double(max(headSize - 2, 1)))
        inverseFrequencies = (0..<half).map { i in
            Float(1 / (pow(base, Double(2 * i) / Double(headSize)) * Double(positionScale)))
        }
    }

    /// Rotates `count` heads of one token in place: `x` points at the first head, heads are
    /// `headStride` apart. `direction` is +1 forward, -1 for the backward pass.
    @inline(__always)
    public func rotate(_ x: UnsafeMutablePointer<Float>, heads count: Int, headStride: Int, position: Int, direction: Float) {
        let half = headSize / 2
        for i in 0..<half {
            // Angles in Double then rounded, as Hugging Face computes them in float32 from
            // inv_freq * position; the product is exact enough in either.
            let angle = Float(position) * inverseFrequencies[i]
            let c = cosf(angle), s = direction * sinf(angle)
            for head in 0..<count {
                let p = x + head * headStride
                let a = p[i], b = p[i + half]
                p[i] = a * c - b * s
                p[i + half] = b * c + a * s
            }
        }
    }
}
