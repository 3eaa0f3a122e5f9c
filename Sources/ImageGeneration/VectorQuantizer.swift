// van den Oord et al. 2017, "Neural Discrete Representation Learning" (VQ-VAE), section 3.2,
// eq. 3: straight-through gradient, codebook loss ||sg[z] - e||^2 and commitment loss
// beta ||z - sg[e]||^2. Unused codes are restarted from encoder outputs (Dhariwal et al. 2020,
// "Jukebox", section 3.2 "random restarts"), so that the codebook stays in use.

import Autograd
import NeuralNetworks
import Tensors

/// A codebook of `K` vectors of size `D` and nearest-neighbour quantisation of NCHW latents.
public final class VectorQuantizer: Module {
    /// `[K, D]`.
    public let codebook: Variable

    public init(codebookSize: Int, dimension: Int, generator: inout SeededGenerator) {
        codebook = Variable(Tensor.uniform([codebookSize, dimension], lower: -1 / Float(codebookSize), upper: 1 / Float(codebookSize), using: &generator),
                            requiresGradient: true)
    }

    public var codebookSize: Int { codebook.shape[0] }
    public var dimension: Int { codebook.shape[1] }

    /// Latents `[N, D, G, G]` as rows `[N*G*G, D]` (image-major, then raster order).
    static func rows(_ latents: Tensor) throws -> Tensor {
        let (n, d, g) = (latents.shape[0], latents.shape[1], latents.shape[2])
        return try latents.permuted([0, 2, 3, 1]).contiguous().reshaped([n * g * g, d])
    }

    /// Index of the nearest code for each row of `[M, D]`.
    public func nearest(rows: Tensor) throws -> [Int] {
        let products = try rows.matmul(codebook.value.transposed(0, 1))   // [M, K]
        let codes = codebook.value.scalars, k = codebookSize, d = dimension
        var norms = [Float](repeating: 0, count: k)
        for j in 0..<k { for c in 0..<d { norms[j] += codes[j * d + c] * codes[j * d + c] } }
        let values = products.scalars
        return (0..<rows.shape[0]).map { m in
            var best = 0, bestDistance = Float.infinity
            for j in 0..<k {
                let distance = norms[j] - 2 * values[m * k + j]
                if distance < bestDistance { (best, bestDistance) = (j, distance) }
            }
            return best
        }
    }

    /// Code vectors for `indices` laid out as latents `[N, D, G, G]`.
    public func latents(indices: [Int], batch: Int, grid: Int) throws -> Tensor {
        try codebook.value.gatherRows(indices).reshaped([batch, grid, grid, dimension]).permuted([0, 3, 1, 2]).contiguous()
    }

    /// Quantises `z` `[N, D, G, G]`: the straight-through output `z + sg(q - z)`, the codes,
    /// and the codebook plus weighted commitment loss.
    public func callAsFunction(_ z: Variable, commitmentWeight: Float) throws -> (output: Variable, indices: [Int], loss: Variable) {
        let (n, g) = (z.shape[0], z.shape[2])
        let indices = try nearest(rows: Self.rows(z.value))
        let q = try latents(indices: indices, batch: n, grid: g)
        let output = try z + Variable(try q - z.value)
        let commitment = try z.meanSquaredError(q)
        let selected = try codebook.gatherRows(indices).reshaped([n, g, g, dimension]).permuted([0, 3, 1, 2])
        let codebookLoss = try selected.meanSquaredError(z.value)
        return (output, indices, try codebookLoss + commitment * commitmentWeight)
    }

    /// Replaces each code with `usage[j] == 0` by a random row of `candidates` `[M, D]`
    /// (random restart); returns how many were replaced.
    @discardableResult
    public func restartUnused(usage: [Int], candidates: Tensor, generator: inout SeededGenerator) -> Int {
        let rows = candidates.contiguous().scalars, m = candidates.shape[0], d = dimension
        guard m > 0 else { return 0 }
        let pointer = codebook.value.storage.pointer + codebook.value.offset
        var replaced = 0
        for j in 0..<codebookSize where usage[j] == 0 {
            let source = Int.random(in: 0..<m, using: &generator)
            for c in 0..<d { pointer[j * d + c] = rows[source * d + c] + Float.random(in: -1e-3...1e-3, using: &generator) }
            replaced += 1
        }
        return replaced
    }
}
