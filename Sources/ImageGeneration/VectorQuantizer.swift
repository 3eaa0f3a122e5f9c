// van den Oord et al. 2017, "Neural Discrete Representation Learning" (VQ-VAE): section 3.2,
// eq. 3 (straight-through gradient, commitment loss beta ||z - sg[e]||^2) and appendix A.1
// (the codebook as exponential moving averages of the latents assigned to each code, in place
// of the codebook loss). Latents and codes are l2-normalised (Yu et al. 2022, "Vector-quantized
// Image Modeling with Improved VQGAN", section 3.2), scaled to unit RMS so that the decoder's
// input has the same scale whatever the encoder's. The codebook starts from k-means on the
// first batch's latents, and unused codes are restarted from encoder outputs (Dhariwal et al.
// 2020, "Jukebox", section 3.2 "random restarts").
//
// Why all three: with the default small initialisation the encoder's outputs start near 0.03
// RMS; Adam grows them ~15x within 20 steps while gradient-trained codes move by at most the
// learning rate per step, so nearest-neighbour assignment sends almost every latent to the 1-3
// codes of largest norm, the decoder learns the mean image, and the commitment loss then pulls
// the encoder onto those codes: plain VQ training collapses at loss 0.11 on MNIST this way
// (docs/experiments/images.md).

import Autograd
import NeuralNetworks
import Tensors

/// A codebook of `K` vectors of size `D` and nearest-neighbour quantisation of NCHW latents.
public final class VectorQuantizer: Module {
    /// `[K, D]`, rows of unit RMS; updated by moving averages, not by gradients.
    public let codebook: Variable
    /// Decay of the moving averages (VQ-VAE appendix A.1 uses 0.99).
    public var decay: Float = 0.99
    /// EMA of the number of latents assigned to each code `[K]` (training state, not saved).
    private var clusterSizes: [Float]
    /// EMA of the sum of latents assigned to each code `[K * D]` (training state, not saved).
    private var clusterSums: [Float]

    /// A codebook of `codebookSize` random unit-RMS vectors of size `dimension` (training
    /// replaces them by k-means centres of the first batch, ``initialize(from:iterations:generator:)``).
    public init(codebookSize: Int, dimension: Int, generator: inout SeededGenerator) {
        let initial = Self.normalizedRows(Tensor.normal([codebookSize, dimension], using: &generator).scalars, dimension: dimension)
        codebook = Variable(Tensor(shape: [codebookSize, dimension], values: initial), requiresGradient: false)
        clusterSizes = [Float](repeating: 1, count: codebookSize)
        clusterSums = initial
    }

    /// Codes in the codebook, K.
    public var codebookSize: Int { codebook.shape[0] }
    /// Size of each code vector, D (the latent channels).
    public var dimension: Int { codebook.shape[1] }

    /// Latents `[N, D, G, G]` as rows `[N*G*G, D]` (image-major, then raster order).
    static func rows(_ latents: Tensor) throws -> Tensor {
        let (n, d, g) = (latents.shape[0], latents.shape[1], latents.shape[2])
        return try latents.permuted([0, 2, 3, 1]).contiguous().reshaped([n * g * g, d])
    }

    /// Each row of `D` values scaled to unit RMS (norm `sqrt(D)`).
    static func normalizedRows(_ values: [Float], dimension d: Int) -> [Float] {
        var result = values
        for start in stride(from: 0, to: values.count, by: d) {
            var squares: Float = 0
            for c in 0..<d { squares += values[start + c] * values[start + c] }
            let scale = 1 / (squares / Float(d) + 1e-10).squareRoot()
            for c in 0..<d { result[start + c] *= scale }
        }
        return result
    }

    /// Latents `[N, D, G, G]` with each position's `D`-vector scaled to unit RMS
    /// (differentiable; the quantiser's input space).
    public func normalize(_ z: Variable) throws -> Variable {
        let (n, d, g) = (z.shape[0], z.shape[1], z.shape[2])
        let rows = try z.permuted([0, 2, 3, 1]).reshaped([n * g * g, d]).rmsNorm(weight: Variable(Tensor.ones([d])), epsilon: 1e-10)
        return try rows.reshaped([n, g, g, d]).permuted([0, 3, 1, 2])
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

    /// Quantises `z` `[N, D, G, G]` after normalising it: the straight-through output
    /// `n + sg(q - n)` of the normalised latents `n`, the codes, and the weighted commitment
    /// loss `beta mean((n - sg(q))^2)`. With `update`, the codebook's moving averages take in
    /// this batch (VQ-VAE appendix A.1).
    public func callAsFunction(_ z: Variable, commitmentWeight: Float, update: Bool = false) throws -> (output: Variable, indices: [Int], loss: Variable) {
        let (n, g) = (z.shape[0], z.shape[2])
        let normalized = try normalize(z)
        let rows = try Self.rows(normalized.value)
        let indices = try nearest(rows: rows)
        let q = try latents(indices: indices, batch: n, grid: g)
        let output = try normalized + Variable(try q - normalized.value)
        let commitment = try normalized.meanSquaredError(q)
        if update { updateAverages(rows: rows.scalars, indices: indices) }
        return (output, indices, commitment * commitmentWeight)
    }

    /// One EMA step: cluster sizes and sums move towards this batch's assignments; each code
    /// becomes its cluster's mean direction (the mean, renormalised).
    func updateAverages(rows: [Float], indices: [Int]) {
        let k = codebookSize, d = dimension
        var counts = [Float](repeating: 0, count: k), sums = [Float](repeating: 0, count: k * d)
        for (m, j) in indices.enumerated() {
            counts[j] += 1
            for c in 0..<d { sums[j * d + c] += rows[m * d + c] }
        }
        for j in 0..<k {
            clusterSizes[j] = decay * clusterSizes[j] + (1 - decay) * counts[j]
            for c in 0..<d { clusterSums[j * d + c] = decay * clusterSums[j * d + c] + (1 - decay) * sums[j * d + c] }
        }
        setCodes(Self.normalizedRows(clusterSums, dimension: d))
    }

    /// The moving averages behind the codebook (cluster sizes `[K]`, cluster sums `[K * D]`),
    /// so that a training checkpoint can save and restore them.
    public func movingAverages() -> (sizes: [Float], sums: [Float]) { (clusterSizes, clusterSums) }

    /// Restores state from ``movingAverages()``.
    ///
    /// - Throws: ``ImageDataError/mismatch(detail:)`` when the counts do not fit the codebook.
    public func setMovingAverages(sizes: [Float], sums: [Float]) throws {
        guard sizes.count == codebookSize, sums.count == codebookSize * dimension else {
            throw ImageDataError.mismatch(detail: "codebook moving averages of \(sizes.count) sizes and \(sums.count) sums for a \(codebookSize)x\(dimension) codebook")
        }
        (clusterSizes, clusterSums) = (sizes, sums)
    }

    private func setCodes(_ values: [Float]) {
        let pointer = codebook.value.storage.pointer + codebook.value.offset
        for i in 0..<values.count { pointer[i] = values[i] }
    }

    /// Sets the codebook to k-means centres (cosine distance, Lloyd's iterations) of
    /// `candidates` `[M, D]` (normalised first), and resets the moving averages to them.
    public func initialize(from candidates: Tensor, iterations: Int = 10, generator: inout SeededGenerator) throws {
        let k = codebookSize, d = dimension, m = candidates.shape[0]
        guard m > 0 else { return }
        let rows = Self.normalizedRows(candidates.contiguous().scalars, dimension: d)
        let starts = m >= k ? Array((0..<m).shuffled(using: &generator).prefix(k)) : (0..<k).map { _ in Int.random(in: 0..<m, using: &generator) }
        var codes = starts.flatMap { rows[($0 * d)..<(($0 + 1) * d)] }
        for c in 0..<codes.count { codes[c] += Float.random(in: -1e-3...1e-3, using: &generator) }
        setCodes(Self.normalizedRows(codes, dimension: d))
        let rowTensor = Tensor(shape: [m, d], values: rows)
        for _ in 0..<iterations {
            let assignment = try nearest(rows: rowTensor)
            var sums = codebook.value.scalars.map { $0 * 1e-3 }, counts = [Int](repeating: 0, count: k)
            for (i, j) in assignment.enumerated() {
                counts[j] += 1
                for c in 0..<d { sums[j * d + c] += rows[i * d + c] }
            }
            setCodes(Self.normalizedRows(sums, dimension: d))
        }
        clusterSums = codebook.value.scalars
        clusterSizes = [Float](repeating: 1, count: k)
    }

    /// Replaces each code with `usage[j] == 0` by a random row of `candidates` `[M, D]`
    /// (normalised, random restart) and resets its moving averages; returns how many.
    @discardableResult
    public func restartUnused(usage: [Int], candidates: Tensor, generator: inout SeededGenerator) -> Int {
        let d = dimension, m = candidates.shape[0]
        guard m > 0 else { return 0 }
        let rows = Self.normalizedRows(candidates.contiguous().scalars, dimension: d)
        var codes = codebook.value.scalars
        var replaced = 0
        for j in 0..<codebookSize where usage[j] == 0 {
            let source = Int.random(in: 0..<m, using: &generator)
            for c in 0..<d { codes[j * d + c] = rows[source * d + c] + Float.random(in: -1e-3...1e-3, using: &generator) }
            replaced += 1
        }
        setCodes(Self.normalizedRows(codes, dimension: d))
        codes = codebook.value.scalars
        let size = Swift.max(1, clusterSizes.reduce(0, +) / Float(codebookSize))
        for j in 0..<codebookSize where usage[j] == 0 {
            clusterSizes[j] = size
            for c in 0..<d { clusterSums[j * d + c] = codes[j * d + c] * size }
        }
        return replaced
    }
}
