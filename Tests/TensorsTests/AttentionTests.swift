import Foundation
import Testing
import Tensors
import TestSupport

/// The attention kernel against `softmax(Q K^T * scale + mask) V` computed naively in Double,
/// through both of its paths (sgemm for many queries, dot products for a few) and with
/// grouped-query heads.
struct AttentionTests {
    /// Naive attention for one batch element; q [T, H, D], k/v [S, KV, D] dense; mask [T][S] allowed.
    static func naive(q: [Float], k: [Float], v: [Float], t: Int, s: Int, heads: Int, kvHeads: Int, d: Int,
                      allowed: (Int, Int) -> Bool) -> [Float] {
        var out = [Float](repeating: 0, count: t * heads * d)
        let scale = 1 / Double(d).squareRoot()
        for h in 0..<heads {
            let kv = h / (heads / kvHeads)
            for i in 0..<t {
                var scores = [Double](repeating: -.infinity, count: s)
                for j in 0..<s where allowed(i, j) {
                    var dot = 0.0
                    for e in 0..<d { dot += Double(q[(i * heads + h) * d + e]) * Double(k[(j * kvHeads + kv) * d + e]) }
                    scores[j] = dot * scale
                }
                let m = scores.max()!
                let w = scores.map { $0 == -.infinity ? 0 : Foundation.exp($0 - m) }
                let total = w.reduce(0, +)
                for e in 0..<d {
                    var acc = 0.0
                    for j in 0..<s { acc += w[j] / total * Double(v[(j * kvHeads + kv) * d + e]) }
                    out[(i * heads + h) * d + e] = Float(acc)
                }
            }
        }
        return out
    }

    @Test(arguments: [(1, 9), (3, 9), (7, 7), (12, 12), (2, 30)], [(4, 4), (4, 2), (6, 1)])
    func matchesNaiveWithCausalOffset(sizes: (Int, Int), heads: (Int, Int)) throws {
        let (t, s) = sizes, (h, kv) = heads, d = 8
        let q = randomTensor([t, h, d], seed: 1), k = randomTensor([s, kv, d], seed: 2), v = randomTensor([s, kv, d], seed: 3)
        let output = Tensor(uninitializedShape: [1, t, h * d])
        let offset = s - t
        try Attention.forward(
            query: q.storage.pointer, queryLayout: .init(batchStride: 0, headStride: d, tokenStride: h * d),
            key: k.storage.pointer, keyLayout: .init(batchStride: 0, headStride: d, tokenStride: kv * d),
            value: v.storage.pointer, valueLayout: .init(batchStride: 0, headStride: d, tokenStride: kv * d),
            shape: .init(batch: 1, heads: h, keyValueHeads: kv, queries: t, keys: s, headSize: d),
            scale: 1 / Float(d).squareRoot(), mask: .causal(offset: offset), output: output.storage.pointer, probabilities: nil)
        let expected = Self.naive(q: q.scalars, k: k.scalars, v: v.scalars, t: t, s: s, heads: h, kvHeads: kv, d: d) { i, j in j <= offset + i }
        expectClose(output.scalars, expected, rtol: 1e-5, atol: 1e-6)
    }

    @Test(arguments: [2, 10])
    func additiveBlockMaskMatchesNaive(t: Int) throws {
        let (h, kv, d) = (2, 1, 8)
        let q = randomTensor([t, h, d], seed: 4), k = randomTensor([t, kv, d], seed: 5), v = randomTensor([t, kv, d], seed: 6)
        // Two packed segments: each token sees earlier tokens of its own segment only.
        let boundary = t / 2
        let allowed = { (i: Int, j: Int) in j <= i && (i < boundary) == (j < boundary) }
        var mask = [Float](repeating: -.infinity, count: t * t)
        for i in 0..<t { for j in 0..<t where allowed(i, j) { mask[i * t + j] = 0 } }
        let output = Tensor(uninitializedShape: [1, t, h * d])
        try Attention.forward(
            query: q.storage.pointer, queryLayout: .init(batchStride: 0, headStride: d, tokenStride: h * d),
            key: k.storage.pointer, keyLayout: .init(batchStride: 0, headStride: d, tokenStride: kv * d),
            value: v.storage.pointer, valueLayout: .init(batchStride: 0, headStride: d, tokenStride: kv * d),
            shape: .init(batch: 1, heads: h, keyValueHeads: kv, queries: t, keys: t, headSize: d),
            scale: 1 / Float(d).squareRoot(), mask: .additive(Tensor(shape: [1, t, t], values: mask)),
            output: output.storage.pointer, probabilities: nil)
        let expected = Self.naive(q: q.scalars, k: k.scalars, v: v.scalars, t: t, s: t, heads: h, kvHeads: kv, d: d, allowed: allowed)
        expectClose(output.scalars, expected, rtol: 1e-5, atol: 1e-6)
    }

    @Test func badShapesAreErrors() {
        let x = Tensor.zeros([4, 8])
        #expect(throws: TensorError.self) {
            try Attention.forward(
                query: x.storage.pointer, queryLayout: .init(batchStride: 0, headStride: 8, tokenStride: 8),
                key: x.storage.pointer, keyLayout: .init(batchStride: 0, headStride: 8, tokenStride: 8),
                value: x.storage.pointer, valueLayout: .init(batchStride: 0, headStride: 8, tokenStride: 8),
                shape: .init(batch: 1, heads: 3, keyValueHeads: 2, queries: 1, keys: 4, headSize: 8),
                scale: 1, mask: .causal(offset: 0), output: Tensor.zeros([8]).storage.pointer, probabilities: nil)
        }
    }
}
