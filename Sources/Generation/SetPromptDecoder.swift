// Set-based prompting (McIlroy-Young et al. 2024, "Set-Based Prompting: Provably Solving the
// Language Model Order Dependency Problem", section 3) inside the generation loop: the prompt
// is prefilled under the set's mask and position ids, then decoding continues normally.

import Autograd
import NeuralNetworks
import Tensors

/// A transformer that reads one ``SetPrompt`` order-independently, as a generation backend.
///
/// Hand ``tokens`` to ``TokenGenerator`` as the prompt: when a fresh sequence starts with
/// exactly those tokens, they are prefilled with the set layout (members cannot see each
/// other and share their start position) instead of as a plain causal sequence. The prefill
/// runs once and is copied into every sequence of a batch. Everything after the prompt is
/// ordinary cached decoding, so the output does not depend on the order the members were
/// given in.
///
/// ```swift
/// let set = SetPrompt(prefix: [bos], members: [[cat], [dog]], suffix: [separator])
/// let decoder = try SetPromptDecoder(model, set)
/// let results = try TokenGenerator(model: decoder).generate(prompts: [decoder.tokens], settings: settings)
/// ```
public final class SetPromptDecoder: AutoregressiveModel {
    /// The transformer that runs the prefill and the decoding.
    public let model: DecoderTransformer
    /// The prompt's tokens in their canonical (sorted-member) order.
    public let tokens: [Int]
    private let positions: [Int]
    private let mask: Tensor
    /// The prefilled cache and the logits of every prompt position, computed on first use.
    private var prefilled: (cache: SequenceCache, logits: [[Float]])?

    /// - Throws: when the set has no members or an empty member.
    public init(_ model: DecoderTransformer, _ prompt: SetPrompt) throws {
        self.model = model
        (tokens, positions, mask) = try prompt.layout(canonical: true)
    }

    public var vocabularySize: Int { model.vocabularySize }
    public func makeState() -> SequenceCache { model.makeState() }
    public func copyState(_ state: SequenceCache) -> SequenceCache { model.copyState(state) }
    public func length(of state: SequenceCache) -> Int { model.length(of: state) }
    public func truncate(_ state: inout SequenceCache, to length: Int) { model.truncate(&state, to: length) }

    /// A fresh state whose row equals ``tokens`` gets a copy of the set-layout prefill (computed on
    /// first use) and its logits; every other row is ordinary decoding.
    public func logits(appending rows: [[Int]], to states: inout [SequenceCache]) throws -> [[[Float]]] {
        guard rows.count == states.count else {
            throw ModelError.invalidInput(detail: "\(rows.count) token rows for \(states.count) states")
        }
        let isPrompt = rows.indices.map { states[$0].length == 0 && rows[$0] == tokens }
        guard isPrompt.contains(true) else { return try model.logits(appending: rows, to: &states) }
        var result = [[[Float]]](repeating: [], count: rows.count)
        let (cache, logits) = try prefill()
        for index in rows.indices where isPrompt[index] {
            states[index] = cache.copy()
            result[index] = logits
        }
        let others = rows.indices.filter { !isPrompt[$0] }
        if !others.isEmpty {
            var otherStates = others.map { states[$0] }
            let otherLogits = try model.logits(appending: others.map { rows[$0] }, to: &otherStates)
            for (slot, index) in others.enumerated() {
                states[index] = otherStates[slot]
                result[index] = otherLogits[slot]
            }
        }
        return result
    }

    private func prefill() throws -> (SequenceCache, [[Float]]) {
        if let prefilled { return prefilled }
        let cache = model.makeCache(capacity: Swift.max(64, 2 * tokens.count))
        let hidden = try model.hiddenStates(.tokens([tokens]), positions: [positions], caches: [cache], cacheMasks: [mask])
        let flat = try Tape.withoutGradient { try model.logits(fromHidden: hidden) }.value.scalars
        let vocabulary = model.configuration.vocabularySize
        let logits = (0..<tokens.count).map { Array(flat[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
        cache.positionShift = (positions.last! + 1) - tokens.count
        prefilled = (cache, logits)
        return (cache, logits)
    }
}
