import Autograd
import Generation
import NeuralNetworks
import Tensors

/// An autoregressive ``ImageTokenModel`` as a Generation backend, so that `GuidedDecoder`
/// runs its classifier-free guidance.
///
/// A sequence starts with one class id (the model's `nullClass` for the unconditional run);
/// every later step appends one grid position, written as its `subTokenCount` sub-token ids.
/// Each step returns one row per sequence: the logits of the next position's sub-token heads
/// side by side (`subTokenCount * subVocabularySize` floats, ``vocabularySize``), which
/// guidance combines entry by entry. Every call must move all sequences by one step together,
/// as the AR sampling loop does.
final class ImageTokenDecoder: AutoregressiveModel {
    /// The AR model; its decoder holds one KV cache per sequence.
    let model: ImageTokenModel

    /// Wraps an autoregressive `model`.
    init(_ model: ImageTokenModel) {
        self.model = model
    }

    /// The width of one logits row: every sub-token head's logits.
    var vocabularySize: Int { model.configuration.subTokenCount * model.configuration.subVocabularySize }

    func makeState() -> SequenceCache { model.transformer.makeCache(capacity: model.configuration.positionCount + 1) }

    func copyState(_ state: SequenceCache) -> SequenceCache { state.copy() }

    /// Slots held: the class, then one per grid position.
    func length(of state: SequenceCache) -> Int { state.length }

    func truncate(_ state: inout SequenceCache, to length: Int) { state.truncate(to: length) }

    /// Appends a class (fresh sequences) or a grid position to every sequence and returns the
    /// heads' logits of the next position.
    ///
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` when the sequences are not at the
    ///   same step or a row is not one class id or one position's sub-tokens.
    func logits(appending tokens: [[Int]], to states: inout [SequenceCache]) throws -> [[[Float]]] {
        let c = model.configuration, s = c.subTokenCount, v = c.subVocabularySize
        guard tokens.count == states.count, let first = states.first else {
            throw ImageDataError.invalidArgument(detail: "\(tokens.count) token rows for \(states.count) decoding states")
        }
        guard states.allSatisfy({ $0.length == first.length }) else {
            throw ImageDataError.invalidArgument(detail: "image decoding moves every sequence by one step together")
        }
        let fresh = first.length == 0
        guard tokens.allSatisfy({ $0.count == (fresh ? 1 : s) }) else {
            throw ImageDataError.invalidArgument(detail: fresh ? "a sequence starts with one class id" : "a step appends the \(s) sub-tokens of one position")
        }
        let input = try fresh ? model.classEmbedding(tokens) : model.positionEmbeddings(tokens)
        let hidden = try model.transformer.hiddenStates(.embeddings(input), caches: states)
        let heads = try model.headLogits(hidden.reshaped([tokens.count, c.decoder.hiddenSize])).map { $0.value.scalars }
        return tokens.indices.map { row in [heads.flatMap { $0[(row * v)..<((row + 1) * v)] }] }
    }
}
