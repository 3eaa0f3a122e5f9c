import Autograd
import NeuralNetworks
import Tensors

/// The transformer as a generation backend: one ``SequenceCache`` per sequence.
///
/// A step with the same number of new tokens for every sequence runs as one batch (the
/// projections and MLPs as `[B*T, C]` GEMMs, attention per sequence against its own cache);
/// uneven steps (prefills of different lengths) run sequence by sequence.
extension DecoderTransformer: AutoregressiveModel {
    /// One ``SequenceCache`` (a KV cache per layer) per sequence.
    public typealias State = SequenceCache

    public var vocabularySize: Int { configuration.vocabularySize }

    public func makeState() -> SequenceCache { makeCache() }

    public func copyState(_ state: SequenceCache) -> SequenceCache { state.copy() }

    public func length(of state: SequenceCache) -> Int { state.length }

    public func truncate(_ state: inout SequenceCache, to length: Int) { state.truncate(to: length) }

    /// Rows of equal length run as one batch, other steps sequence by sequence.
    ///
    /// - Throws: ``NeuralNetworks/ModelError/invalidInput(detail:)`` when the row and state
    ///   counts differ or a GPT-2 flavour sequence would pass `contextLength` (LLaMA's rotary
    ///   positions have no limit).
    public func logits(appending tokens: [[Int]], to states: inout [SequenceCache]) throws -> [[[Float]]] {
        try logits(appending: tokens, to: &states, skipping: nil)
    }

    func logits(appending tokens: [[Int]], to states: inout [SequenceCache], skipping: LayerSkipping?) throws -> [[[Float]]] {
        guard tokens.count == states.count else {
            throw ModelError.invalidInput(detail: "\(tokens.count) token rows for \(states.count) states")
        }
        if let first = tokens.first, tokens.allSatisfy({ $0.count == first.count }), !first.isEmpty {
            return try batchLogits(tokens, states, skipping: skipping)
        }
        return try tokens.indices.map { index in
            tokens[index].isEmpty ? [] : try batchLogits([tokens[index]], [states[index]], skipping: skipping)[0]
        }
    }

    private func batchLogits(_ tokens: [[Int]], _ states: [SequenceCache], skipping: LayerSkipping?) throws -> [[[Float]]] {
        let limit = configuration.contextLength
        for (row, state) in zip(tokens, states) where configuration.flavor == .gpt2 && state.length + row.count > limit {
            throw ModelError.invalidInput(detail: "sequence of \(state.length + row.count) tokens exceeds the context of \(limit)")
        }
        let hidden = try hiddenStates(.tokens(tokens), caches: states, skipping: skipping)
        let logits = try Tape.withoutGradient { try self.logits(fromHidden: hidden) }.value.scalars
        let (time, vocabulary) = (tokens[0].count, configuration.vocabularySize)
        return (0..<tokens.count).map { b in
            (0..<time).map { t in Array(logits[((b * time + t) * vocabulary)..<((b * time + t + 1) * vocabulary)]) }
        }
    }
}

/// A transformer that decodes with layer skipping (SkipDecode or FFN-SkipLLM, see
/// `LayerSkipping`): plug it into `TokenGenerator` in place of the model.
///
/// ```swift
/// let fast = try SkippingDecoder(model, .skipDecode(maximumLayers: 6, minimumLayers: 3, startPosition: 16, endPosition: 128))
/// let result = try TokenGenerator(model: fast).generate(prompt: prompt, settings: settings)
/// ```
public final class SkippingDecoder: AutoregressiveModel {
    /// The transformer that runs the blocks that are not skipped.
    public let model: DecoderTransformer
    /// The skipping method and its running statistics (FFN-SkipLLM's cosines).
    public let skipping: LayerSkipping

    /// Wraps `model` with one skipping method.
    ///
    /// - Throws: ``NeuralNetworks/ModelError/invalidConfiguration(field:detail:)`` on inconsistent settings.
    public init(_ model: DecoderTransformer, _ method: LayerSkipping.Method) throws {
        self.model = model
        skipping = try LayerSkipping(method)
    }

    public var vocabularySize: Int { model.vocabularySize }
    public func makeState() -> SequenceCache { model.makeState() }
    public func copyState(_ state: SequenceCache) -> SequenceCache { model.copyState(state) }
    public func length(of state: SequenceCache) -> Int { model.length(of: state) }
    public func truncate(_ state: inout SequenceCache, to length: Int) { model.truncate(&state, to: length) }

    /// Runs the model with layer skipping, then counts the call as one decoded step.
    public func logits(appending tokens: [[Int]], to states: inout [SequenceCache]) throws -> [[[Float]]] {
        defer { skipping.advance() }
        return try model.logits(appending: tokens, to: &states, skipping: skipping)
    }
}
