import Foundation
import Tensors

// Source: Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers for
// Language Understanding" (sections 3 and A.2), as Hugging Face `transformers` implements
// `BertModel` (models/bert/modeling_bert.py): post-LN blocks, exact GELU, learned absolute
// positions, token-type embeddings.

/// A BERT-style bidirectional transformer encoder, inference only.
///
/// Embeddings (word + position + token type, then LayerNorm), then ``BertEncoderConfiguration/layerCount``
/// post-LN blocks: `x = LN(x + attention(x))`, `x = LN(x + W2 gelu(W1 x))`, where attention
/// sees every non-padding token of its sequence. Products are BLAS GEMMs over the whole
/// batch, spread over ``Parallelism``'s workers; attention is ``Attention/forward(query:queryLayout:key:keyLayout:value:valueLayout:shape:scale:mask:output:probabilities:)``
/// reading Q, K and V in place from one fused projection.
///
/// ```swift
/// let encoder = try BertEncoder.load(from: folder)            // config.json + model.safetensors
/// let states = try encoder.hiddenStates(ids: [[101, 7592, 102], [101, 102]])  // [2, 3, C], padded
/// ```
public final class BertEncoder: Sendable {
    /// The sizes.
    public let configuration: BertEncoderConfiguration

    /// One transformer block's weights; matrices are `[out, in]` (PyTorch's layout).
    struct Block: Sendable {
        /// Query, key and value stacked: `[3C, C]`, `[3C]`.
        var qkvWeight: Tensor, qkvBias: Tensor
        var attentionOutputWeight: Tensor, attentionOutputBias: Tensor
        var attentionNormWeight: Tensor, attentionNormBias: Tensor
        var intermediateWeight: Tensor, intermediateBias: Tensor
        var outputWeight: Tensor, outputBias: Tensor
        var outputNormWeight: Tensor, outputNormBias: Tensor
    }

    let wordEmbeddings: Tensor
    let positionEmbeddings: Tensor
    let tokenTypeEmbeddings: Tensor
    let embeddingNormWeight: Tensor
    let embeddingNormBias: Tensor
    let blocks: [Block]

    init(configuration: BertEncoderConfiguration, wordEmbeddings: Tensor, positionEmbeddings: Tensor, tokenTypeEmbeddings: Tensor,
         embeddingNormWeight: Tensor, embeddingNormBias: Tensor, blocks: [Block]) {
        self.configuration = configuration
        self.wordEmbeddings = wordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.tokenTypeEmbeddings = tokenTypeEmbeddings
        self.embeddingNormWeight = embeddingNormWeight
        self.embeddingNormBias = embeddingNormBias
        self.blocks = blocks
    }

    /// The last hidden states of a batch of id sequences, padded at the end to the longest.
    ///
    /// - Parameter ids: One id sequence per text (token type 0 throughout), each at most
    ///   ``BertEncoderConfiguration/maximumPositions`` long and not empty.
    /// - Returns: `[B, T, C]` with `T` the longest sequence; rows past a sequence's end are
    ///   padding and hold no meaningful values.
    /// - Throws: ``ModelError/invalidInput(detail:)`` for an empty or too long sequence or an
    ///   id outside the vocabulary.
    public func hiddenStates(ids: [[Int]]) throws -> Tensor {
        let c = configuration
        let batch = ids.count, length = ids.map(\.count).max() ?? 0
        guard batch > 0 else { return Tensor.zeros([0, 0, c.hiddenSize]) }
        for (index, sequence) in ids.enumerated() {
            guard !sequence.isEmpty else { throw ModelError.invalidInput(detail: "sequence \(index) is empty") }
            guard sequence.count <= c.maximumPositions else {
                throw ModelError.invalidInput(detail: "sequence \(index) has \(sequence.count) tokens; the encoder takes at most \(c.maximumPositions)")
            }
            if let bad = sequence.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
                throw ModelError.invalidInput(detail: "token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
            }
        }
        var x = try embed(ids, length: length)
        // 0 where a key is a real token of the query's sequence, -inf where it is padding.
        let mask = Tensor(shape: [batch, length, length], repeating: 0)
        let maskPointer = mask.storage.pointer + mask.offset
        for (b, sequence) in ids.enumerated() where sequence.count < length {
            for query in 0..<length {
                let row = maskPointer + (b * length + query) * length
                for key in sequence.count..<length { row[key] = -Float.infinity }
            }
        }
        for block in blocks {
            x = try self.block(block, x, batch: batch, length: length, mask: mask)
        }
        return try x.reshaped([batch, length, c.hiddenSize])
    }

    /// Word + position + token-type-0 embeddings, layer-normalised: `[B * T, C]`.
    func embed(_ ids: [[Int]], length: Int) throws -> Tensor {
        let width = configuration.hiddenSize
        let x = Tensor(shape: [ids.count * length, width], repeating: 0)
        let out = x.storage.pointer + x.offset
        let words = wordEmbeddings.storage.pointer + wordEmbeddings.offset
        let positions = positionEmbeddings.storage.pointer + positionEmbeddings.offset
        let types = tokenTypeEmbeddings.storage.pointer + tokenTypeEmbeddings.offset
        for (b, sequence) in ids.enumerated() {
            for (t, id) in sequence.enumerated() {
                let row = out + (b * length + t) * width
                let word = words + id * width, position = positions + t * width
                for i in 0..<width { row[i] = word[i] + position[i] + types[i] }
            }
        }
        return try normalize(x, embeddingNormWeight, embeddingNormBias)
    }

    /// One post-LN block on `x` `[B * T, C]`.
    func block(_ w: Block, _ x: Tensor, batch: Int, length: Int, mask: Tensor) throws -> Tensor {
        let c = configuration
        let qkv = Self.linear(x, w.qkvWeight, w.qkvBias)  // [B*T, 3C]
        let attended = Tensor(uninitializedShape: [batch * length, c.hiddenSize])
        let base = qkv.storage.pointer + qkv.offset
        let layout = Attention.Layout(batchStride: length * 3 * c.hiddenSize, headStride: c.headSize, tokenStride: 3 * c.hiddenSize)
        try Attention.forward(
            query: base, queryLayout: layout, key: base + c.hiddenSize, keyLayout: layout,
            value: base + 2 * c.hiddenSize, valueLayout: layout,
            shape: Attention.Shape(batch: batch, heads: c.headCount, keyValueHeads: c.headCount,
                                   queries: length, keys: length, headSize: c.headSize),
            scale: 1 / Float(c.headSize).squareRoot(), mask: .additive(mask),
            output: attended.storage.pointer + attended.offset, probabilities: nil)
        let projected = Self.linear(attended, w.attentionOutputWeight, w.attentionOutputBias)
        let h = try normalize(try projected + x, w.attentionNormWeight, w.attentionNormBias)
        let expanded = Self.exactGELU(Self.linear(h, w.intermediateWeight, w.intermediateBias))
        let output = Self.linear(expanded, w.outputWeight, w.outputBias)
        return try normalize(try output + h, w.outputNormWeight, w.outputNormBias)
    }

    func normalize(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) throws -> Tensor {
        try x.layerNorm(weight: weight, bias: bias, epsilon: configuration.layerNormEpsilon).output
    }

    /// `x W^T + b` for contiguous `x` `[N, in]` and `W` `[out, in]`, one GEMM.
    static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) -> Tensor {
        let rows = x.shape[0], input = weight.shape[1], output = weight.shape[0]
        let y = Tensor(uninitializedShape: [rows, output])
        let yp = y.storage.pointer + y.offset
        Tensor.sgemm(transposeA: false, transposeB: true, m: rows, n: output, k: input,
                     a: x.storage.pointer + x.offset, lda: input, b: weight.storage.pointer + weight.offset, ldb: input,
                     c: yp, ldc: output)
        let bp = bias.storage.pointer + bias.offset
        for row in 0..<rows {
            let r = yp + row * output
            for i in 0..<output { r[i] += bp[i] }
        }
        return y
    }

    /// GELU with the exact Gaussian CDF, `x/2 (1 + erf(x/sqrt 2))` (Hugging Face's `"gelu"`).
    static func exactGELU(_ x: Tensor) -> Tensor {
        let scale: Float = 0.7071067811865476
        return x.map({ 0.5 * $0 * (1 + erf(SIMD8(repeating: $0 * scale))[0]) }, { 0.5 * $0 * (1 + erf($0 * scale)) })
    }

    /// `erf` on eight lanes as a rational function, `x P(x^2) / Q(x^2)` on `[-4, 4]` (beyond
    /// that erf is ±1 in float32), the approximation Eigen uses for float. Its error is below
    /// 5e-7, which puts GELU within 1e-6 of the libm `erff` version while vectorising.
    @inline(__always)
    static func erf(_ input: SIMD8<Float>) -> SIMD8<Float> {
        let x = input.clamped(lowerBound: SIMD8(repeating: -4), upperBound: SIMD8(repeating: 4))
        let x2 = x * x
        func c(_ value: Float) -> SIMD8<Float> { SIMD8(repeating: value) }
        var p = c(-2.72614225801306e-10)
        p = p * x2 + c(2.77068142495902e-08)
        p = p * x2 + c(-2.10102402082508e-06)
        p = p * x2 + c(-5.69250639462346e-05)
        p = p * x2 + c(-7.34990630326855e-04)
        p = p * x2 + c(-2.95459980854025e-03)
        p = p * x2 + c(-1.60960333262415e-02)
        var q = c(-1.45660718464996e-05)
        q = q * x2 + c(-2.13374055278905e-04)
        q = q * x2 + c(-1.68282697438203e-03)
        q = q * x2 + c(-7.37332916720468e-03)
        q = q * x2 + c(-1.42647390514189e-02)
        return x * p / q
    }
}
