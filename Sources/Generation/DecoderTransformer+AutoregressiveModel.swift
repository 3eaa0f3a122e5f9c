import Autograd
import NeuralNetworks
import Tensors

/// The transformer as a generation backend: one ``SequenceCache`` per sequence.
///
/// A step with the same number of new tokens for every sequence runs as one batch (the
/// projections and MLPs as `[B*T, C]` GEMMs, attention per sequence against its own cache);
/// uneven steps (prefills of different lengths) run sequence by sequence.
extension DecoderTransformer: AutoregressiveModel {
    public typealias State = SequenceCache

    public var vocabularySize: Int { configuration.vocabularySize }

    public func makeState() -> SequenceCache { makeCache() }

    public func copyState(_ state: SequenceCache) -> SequenceCache { state.copy() }

    public func length(of state: SequenceCache) -> Int { state.length }

    public func truncate(_ state: inout SequenceCache, to length: Int) { state.truncate(to: length) }

    public func logits(appending tokens: [[Int]], to states: inout [SequenceCache]) throws -> [[[Float]]] {
        guard tokens.count == states.count else {
            throw ModelError.invalidInput(detail: "\(tokens.count) token rows for \(states.count) states")
        }
        if let first = tokens.first, tokens.allSatisfy({ $0.count == first.count }), !first.isEmpty {
            return try batchLogits(tokens, states)
        }
        return try tokens.indices.map { index in
            tokens[index].isEmpty ? [] : try batchLogits([tokens[index]], [states[index]])[0]
        }
    }

    private func batchLogits(_ tokens: [[Int]], _ states: [SequenceCache]) throws -> [[[Float]]] {
        let limit = configuration.contextLength
        for (row, state) in zip(tokens, states) where configuration.flavor == .gpt2 && state.length + row.count > limit {
            throw ModelError.invalidInput(detail: "sequence of \(state.length + row.count) tokens exceeds the context of \(limit)")
        }
        let hidden = try hiddenStates(.tokens(tokens), caches: states)
        let logits = try Tape.withoutGradient { try self.logits(fromHidden: hidden) }.value.scalars
        let (time, vocabulary) = (tokens[0].count, configuration.vocabularySize)
        return (0..<tokens.count).map { b in
            (0..<time).map { t in Array(logits[((b * time + t) * vocabulary)..<((b * time + t + 1) * vocabulary)]) }
        }
    }
}
