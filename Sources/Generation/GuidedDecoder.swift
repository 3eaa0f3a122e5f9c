// Classifier-free guidance for a conditional language model (Ho & Salimans 2022,
// "Classifier-Free Diffusion Guidance", eq. 6, carried over to next-token logits as in
// Sanchez et al. 2023, "Stay on topic with Classifier-Free Guidance"): every sequence runs
// twice, once after its own prompt and once after an unconditional prompt, and the next-token
// logits are pushed away from the unconditional ones, l = u + s (c - u).

/// A model that decodes with classifier-free guidance, as a generation backend.
///
/// The model must have been trained with the condition sometimes left out (for example,
/// 10% of icons without keywords), so that ``unconditionalPrompt`` is a prompt it knows.
/// Each sequence's state holds both runs; one call appends the same new tokens to both and
/// batches them into one model call. The first call on a fresh state must carry the whole
/// conditional prompt (as ``TokenGenerator`` does): the unconditional run reads
/// ``unconditionalPrompt`` in its place, and the two runs are aligned from there on.
///
/// ```swift
/// let guided = GuidedDecoder(model, unconditionalPrompt: [bos, separator], scale: 3)
/// let results = try TokenGenerator(model: guided).generate(prompts: [[bos, camera, separator]], settings: settings)
/// ```
public final class GuidedDecoder<Model: AutoregressiveModel>: AutoregressiveModel {
    /// The conditional and the unconditional run of one sequence.
    public struct State {
        var conditional: Model.State
        var unconditional: Model.State
        /// unconditional length - conditional length, fixed once the prompts are in.
        var offset = 0
    }

    /// The conditional model; it runs both the conditional and the unconditional sequence.
    public let model: Model
    /// What the unconditional run reads in place of each sequence's own prompt.
    public let unconditionalPrompt: [Int]
    /// 1 is the conditional model alone; larger follows the condition more closely. It may
    /// change between ``logits(appending:to:)`` calls, for a scale that follows a schedule
    /// over the decoding steps.
    public var scale: Float

    /// Wraps `model`; `scale` 1 reproduces it, larger values follow the condition more closely.
    public init(_ model: Model, unconditionalPrompt: [Int], scale: Float) {
        self.model = model
        self.unconditionalPrompt = unconditionalPrompt
        self.scale = scale
    }

    public var vocabularySize: Int { model.vocabularySize }

    public func makeState() -> State { State(conditional: model.makeState(), unconditional: model.makeState()) }

    public func copyState(_ state: State) -> State {
        State(conditional: model.copyState(state.conditional), unconditional: model.copyState(state.unconditional), offset: state.offset)
    }

    /// The conditional run's length.
    public func length(of state: State) -> Int { model.length(of: state.conditional) }

    /// Truncates both runs, keeping the unconditional one offset by the difference in prompt length.
    public func truncate(_ state: inout State, to length: Int) {
        model.truncate(&state.conditional, to: length)
        model.truncate(&state.unconditional, to: Swift.max(0, length + state.offset))
    }

    /// Guided logits `u + scale * (c - u)`; on a fresh sequence only the prompt's last position is
    /// guided, the others are the conditional run's.
    ///
    /// - Throws: ``GenerationError/modelOutputMismatch(detail:)`` when the row and state counts differ,
    ///   or whatever the model throws.
    public func logits(appending tokens: [[Int]], to states: inout [State]) throws -> [[[Float]]] {
        guard tokens.count == states.count else {
            throw GenerationError.modelOutputMismatch(detail: "\(tokens.count) token rows for \(states.count) states")
        }
        // A fresh sequence: its prompt goes to the conditional run, the unconditional run
        // reads the unconditional prompt; afterwards both read the same new tokens.
        let fresh = states.map { model.length(of: $0.conditional) == 0 }
        let unconditionalRows = tokens.indices.map { fresh[$0] ? unconditionalPrompt : tokens[$0] }
        var inner = states.map(\.conditional) + states.map(\.unconditional)
        let output = try model.logits(appending: tokens + unconditionalRows, to: &inner)
        let count = tokens.count
        var result: [[[Float]]] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            states[i].conditional = inner[i]
            states[i].unconditional = inner[count + i]
            if fresh[i] { states[i].offset = unconditionalPrompt.count - tokens[i].count }
            var rows = output[i]
            let unconditional = output[count + i]
            // Align the last positions (prompts may differ in length); new tokens line up one to one.
            let shift = unconditional.count - rows.count
            for j in rows.indices where j + shift >= 0 && (!fresh[i] || j == rows.count - 1) {
                rows[j] = ClassifierFreeGuidance.logits(conditional: rows[j], unconditional: unconditional[j + shift], scale: scale)
            }
            result.append(rows)
        }
        return result
    }
}

/// The guidance formula of ``GuidedDecoder``, for decoders that batch the conditional and the
/// unconditional runs their own way (MaskGIT predicts every masked position of a grid at once).
///
/// ```swift
/// let guided = ClassifierFreeGuidance.logits(conditional: [2, 0], unconditional: [1, 0], scale: 3)   // [4, 0]
/// ```
public enum ClassifierFreeGuidance {
    /// `u + scale * (c - u)` elementwise over two rows of the same length; `scale` 1 gives `c`
    /// (up to rounding), 0 gives `u`.
    public static func logits<Unconditional: Collection<Float>>(
        conditional: [Float], unconditional: Unconditional, scale: Float
    ) -> [Float] {
        zip(conditional, unconditional).map { c, u in u + scale * (c - u) }
    }
}
