// Liu et al. 2024, "Elucidating the Design Space of Language Models for Image Generation"
// (ELM), section 3.1: the binary autoencoder (BAE) quantises each latent channel to one bit,
// sampled from Bernoulli(sigmoid(z)) during training with a straight-through estimator
// (Bengio et al. 2013), rounded at inference; section 3.2 splits each K-bit code into
// sub-tokens of fewer bits so that the vocabulary of each prediction stays small.

import Autograd
import Tensors

/// Binary quantisation of NCHW latent logits, and the split of bit codes into sub-tokens.
public enum BinaryQuantizer {
    /// Quantises logits `z` `[N, K, G, G]` to bits. Returns the decoder input `2b - 1` with the
    /// straight-through gradient of `sigmoid(z)`, and the bits `[N*G*G][K]` (raster order).
    ///
    /// - Parameter sample: draw `b ~ Bernoulli(sigmoid(z))` (training) instead of rounding.
    public static func quantize(_ z: Variable, sample: Bool, generator: inout SeededGenerator) throws -> (output: Variable, bits: [[UInt8]]) {
        let probabilities = z.sigmoid()
        let p = probabilities.value.scalars
        var b = [Float](repeating: 0, count: p.count)
        for i in 0..<p.count {
            b[i] = sample ? (Float.random(in: 0..<1, using: &generator) < p[i] ? 1 : 0) : (p[i] > 0.5 ? 1 : 0)
        }
        let bitsTensor = Tensor(shape: z.shape, values: b)
        let straightThrough = try probabilities + Variable(try bitsTensor - probabilities.value)
        let (n, k, g) = (z.shape[0], z.shape[1], z.shape[2])
        var bits: [[UInt8]] = []
        bits.reserveCapacity(n * g * g)
        for image in 0..<n {
            for position in 0..<(g * g) {
                bits.append((0..<k).map { c in UInt8(b[(image * k + c) * g * g + position]) })
            }
        }
        return (straightThrough * 2 - 1, bits)
    }

    /// Splits a K-bit code into `K / bitsPerSubToken` sub-tokens; bit `j` of a sub-token is
    /// channel `s * bitsPerSubToken + j`.
    public static func subTokens(bits: [UInt8], bitsPerSubToken: Int) -> [Int] {
        stride(from: 0, to: bits.count, by: bitsPerSubToken).map { start in
            var value = 0
            for j in 0..<bitsPerSubToken where bits[start + j] != 0 { value |= 1 << j }
            return value
        }
    }

    /// The inverse of ``subTokens(bits:bitsPerSubToken:)``.
    public static func bits(subTokens: [Int], bitsPerSubToken: Int) -> [UInt8] {
        subTokens.flatMap { value in (0..<bitsPerSubToken).map { UInt8((value >> $0) & 1) } }
    }

    /// Decoder input `[N, K, G, G]` (values ±1) for sub-tokens `[N][G*G*S]`.
    public static func latents(tokens: [[Int]], bitsPerSubToken: Int, channels: Int, grid: Int) -> Tensor {
        let plane = grid * grid, s = channels / bitsPerSubToken
        var values = [Float](repeating: -1, count: tokens.count * channels * plane)
        for (image, row) in tokens.enumerated() {
            for position in 0..<plane {
                let code = bits(subTokens: Array(row[(position * s)..<((position + 1) * s)]), bitsPerSubToken: bitsPerSubToken)
                for c in 0..<channels where code[c] != 0 { values[(image * channels + c) * plane + position] = 1 }
            }
        }
        return Tensor(shape: [tokens.count, channels, grid, grid], values: values)
    }
}
