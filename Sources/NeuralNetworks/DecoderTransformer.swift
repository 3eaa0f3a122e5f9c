import Autograd
import Tensors

/// A decoder-only transformer (GPT-2 or LLaMA flavour) over token ids or input embeddings.
///
/// Radford et al. 2019 ("Language Models are Unsupervised Multitask Learners") and Touvron
/// et al. 2023 ("LLaMA"). Shapes: B batch, T time, C channels, V vocabulary.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try DecoderTransformer(configuration: config, generator: &generator)
/// let logits = try model.logits(tokens: [[1, 2, 3]])      // [1, 3, V]
/// ```
public final class DecoderTransformer: Module {
    /// The shape the model was built with.
    public let configuration: DecoderConfiguration
    /// Token embeddings `[V, C]` (also the output head when tied).
    public let embedding: Embedding
    /// Learned positions `[contextLength, C]` (GPT-2 flavour only).
    public let positionEmbedding: Embedding?
    /// The transformer blocks, first to last.
    public let blocks: [TransformerBlock]
    /// The norm applied to the last block's output.
    public let finalNorm: Normalization
    /// `[V, C]`, only when the head is not tied to the embeddings.
    public let outputHead: Linear?

    /// Builds a model with freshly initialised (seeded) weights.
    public init(configuration: DecoderConfiguration, generator: inout SeededGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        embedding = Embedding(count: configuration.vocabularySize, dimension: configuration.hiddenSize, generator: &generator)
        positionEmbedding = configuration.flavor == .gpt2
            ? Embedding(count: configuration.contextLength, dimension: configuration.hiddenSize, standardDeviation: 0.01, generator: &generator) : nil
        var blocks: [TransformerBlock] = []
        for _ in 0..<configuration.layerCount { blocks.append(try TransformerBlock(configuration: configuration, generator: &generator)) }
        self.blocks = blocks
        finalNorm = Normalization(configuration: configuration)
        outputHead = configuration.tiedEmbeddings ? nil
            : Linear(inputSize: configuration.hiddenSize, outputSize: configuration.vocabularySize, bias: false, standardDeviation: 0.02, generator: &generator)
        assignParameterNames()
    }

    /// What goes into the first block.
    public enum Input {
        /// Token ids `[B][T]` (every row the same length).
        case tokens([[Int]])
        /// Continuous vectors `[B, T, C]` (a forecaster's segment embeddings, image sub-tokens).
        case embeddings(Variable)
    }

    /// Hidden states after the final norm, `[B, T, C]`.
    ///
    /// - Parameters:
    ///   - positions: position ids `[B][T]`; default `0..<T` (after the cached tokens when
    ///     decoding). Prepacking and set-based prompting pass their own.
    ///   - mask: attention mask; default causal. With caches, pass per-sequence additive masks.
    ///   - caches: one ``SequenceCache`` per batch row for incremental decoding (no gradients).
    ///   - skipping: layer skipping for decoding (``LayerSkipping``); needs `caches`.
    public func hiddenStates(
        _ input: Input, positions: [[Int]]? = nil, mask: Attention.Mask? = nil,
        caches: [SequenceCache]? = nil, cacheMasks: [Tensor]? = nil, skipping: LayerSkipping? = nil
    ) throws -> Variable {
        if caches != nil {
            return try Tape.withoutGradient {
                try forward(input, positions: positions, mask: mask, caches: caches, cacheMasks: cacheMasks, skipping: skipping)
            }
        }
        return try forward(input, positions: positions, mask: mask, caches: nil, cacheMasks: nil, skipping: nil)
    }

    private func forward(
        _ input: Input, positions: [[Int]]?, mask: Attention.Mask?, caches: [SequenceCache]?, cacheMasks: [Tensor]?,
        skipping: LayerSkipping?
    ) throws -> Variable {
        var x: Variable
        let (batch, time): (Int, Int)
        switch input {
        case .tokens(let ids):
            guard let first = ids.first, !first.isEmpty, ids.allSatisfy({ $0.count == first.count }) else {
                throw ModelError.invalidInput(detail: "token rows must be non-empty and of equal length")
            }
            (batch, time) = (ids.count, first.count)
            x = try embedding(ids)
        case .embeddings(let vectors):
            guard vectors.value.rank == 3, vectors.shape[2] == configuration.hiddenSize else {
                throw ModelError.invalidInput(detail: "input embeddings have shape \(vectors.shape), expected [B, T, \(configuration.hiddenSize)]")
            }
            (batch, time) = (vectors.shape[0], vectors.shape[1])
            x = vectors
        }
        if let caches, caches.count != batch {
            throw ModelError.invalidInput(detail: "\(caches.count) caches for a batch of \(batch)")
        }
        let resolvedPositions = positions ?? (0..<batch).map { b in
            let offset = caches?[b].nextPosition ?? 0
            return Array(offset..<(offset + time))
        }
        guard resolvedPositions.count == batch, resolvedPositions.allSatisfy({ $0.count == time }) else {
            throw ModelError.invalidInput(detail: "positions must be [\(batch)][\(time)]")
        }
        if let positionEmbedding {
            let limit = configuration.contextLength
            if let bad = resolvedPositions.joined().first(where: { $0 < 0 || $0 >= limit }) {
                throw ModelError.invalidInput(detail: "position \(bad) is outside the context of \(limit) tokens")
            }
            x = try x + positionEmbedding(resolvedPositions)
        }
        // Dropout (GPT-2's embd_pdrop and resid_pdrop) only in full-sequence training passes.
        let dropping = caches == nil && configuration.dropout > 0 && trainingGenerator != nil
        if dropping { x = try drop(x) }
        // SkipDecode: every token of this call stops at the exit layer of the furthest position.
        let exitLayer = skipping.map { $0.exitLayer(position: resolvedPositions.joined().max() ?? 0, layerCount: blocks.count) } ?? blocks.count
        for (index, block) in blocks.enumerated() where index < exitLayer {
            if let caches {
                if let skipping, skipping.skipsFeedForward(layer: index, caches: caches) {
                    x = try x + block.attention(block.attentionNorm(x), positions: resolvedPositions,
                                                caches: caches.map { $0.layers[index] }, masks: cacheMasks)
                    continue
                }
                let attended = try x + block.attention(block.attentionNorm(x), positions: resolvedPositions,
                                                       caches: caches.map { $0.layers[index] }, masks: cacheMasks)
                let output = try attended + block.feedForward(block.feedForwardNorm(attended))
                skipping?.observe(layer: index, input: attended.value, output: output.value, caches: caches)
                x = output
            } else {
                x = try block(x, positions: resolvedPositions, mask: mask ?? .causal(offset: 0), dropout: dropping ? drop : nil)
            }
        }
        return try finalNorm(x)
    }

    /// Draws dropout masks while a training step runs (set by the training loop for the step,
    /// then cleared); nil = no dropout, as in inference and validation. Dropout
    /// (``DecoderConfiguration/dropout``) applies to the input embeddings and to each
    /// sublayer's output before its residual addition, as in GPT-2.
    public var trainingGenerator: SeededGenerator?

    /// Runs `body` (one training step's forward pass, up to its loss) with dropout on when the
    /// configuration asks for it: masks come from a generator seeded by one draw of
    /// `generator`, so a resumed run repeats them. Without dropout nothing is drawn.
    public func trainingStep<T>(using generator: inout SeededGenerator, _ body: () throws -> T) rethrows -> T {
        try trainingStep(masks: dropoutMasks(drawingFrom: &generator), body)
    }

    /// The generator of one training step's dropout masks, seeded by one draw of `generator`;
    /// nil, and nothing drawn, without dropout. For steps whose `body` itself draws from
    /// `generator` (use ``trainingStep(masks:_:)`` then).
    public func dropoutMasks(drawingFrom generator: inout SeededGenerator) -> SeededGenerator? {
        configuration.dropout > 0 ? SeededGenerator(seed: generator.next()) : nil
    }

    /// Runs `body` with dropout masks drawn from `masks` (nil: no dropout).
    public func trainingStep<T>(masks: SeededGenerator?, _ body: () throws -> T) rethrows -> T {
        guard let masks else { return try body() }
        trainingGenerator = masks
        defer { trainingGenerator = nil }
        return try body()
    }

    private func drop(_ x: Variable) throws -> Variable {
        guard var generator = trainingGenerator else { return x }
        defer { trainingGenerator = generator }
        return try x.dropout(probability: configuration.dropout, training: true, using: &generator)
    }

    /// Int8 copy of the tied output head (the embedding table stays float for lookups).
    public private(set) var quantizedHead: Int8Matrix?

    /// Quantises every linear layer and the output head to int8 weights with per-channel
    /// scales, for inference. Returns the bytes of weights before and after.
    @discardableResult
    public func quantizeInt8() throws -> (before: Int, after: Int) {
        var before = 0, after = 0
        for (_, module) in namedModules() {
            guard let linear = module as? Linear, linear.quantized == nil else { continue }
            before += linear.inputSize * linear.outputSize * 4
            try linear.quantize()
            after += linear.quantized!.byteCount
        }
        if outputHead == nil, quantizedHead == nil {
            quantizedHead = try Int8Matrix(embedding.weight.value)
            before += embedding.weight.value.count * 4
            after += quantizedHead!.byteCount
        }
        return (before, after)
    }

    /// Logits `[B, T, V]` from hidden states `[B, T, C]`.
    public func logits(fromHidden hidden: Variable) throws -> Variable {
        if let quantizedHead { return Variable(try quantizedHead.multiply(hidden.value)) }
        if let outputHead { return try outputHead(hidden) }
        return try hidden.linear(weight: embedding.weight, bias: nil)
    }

    /// Logits `[B, T, V]` for token ids `[B][T]`.
    public func logits(tokens: [[Int]], positions: [[Int]]? = nil, mask: Attention.Mask? = nil) throws -> Variable {
        try logits(fromHidden: hiddenStates(.tokens(tokens), positions: positions, mask: mask))
    }

    /// A fresh decoding state for one sequence.
    public func makeCache(capacity: Int = 64) -> SequenceCache {
        SequenceCache(layerCount: configuration.layerCount, keyValueHeads: configuration.resolvedKeyValueHeadCount,
                      headSize: configuration.resolvedHeadSize, capacity: capacity)
    }
}
