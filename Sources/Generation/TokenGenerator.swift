/// Runs a model autoregressively: settings -> sampler + processor chain per sequence -> tokens.
///
/// Each sequence owns its model state, processor chain and sampler. Sampler `i` is seeded
/// with `settings.seed + i`, so sequence `i` of a batch is reproducible on its own and does
/// not depend on the other prompts in the batch: generating `prompts[i]` alone with
/// `settings.seed + i` gives the same tokens. Every step makes one
/// `logits(appending:to:)` call covering all unfinished sequences.
///
/// ```swift
/// let generator = TokenGenerator(model: model)
/// var settings = GenerationSettings()
/// settings.temperature = 0.8
/// settings.topK = 40
/// settings.stopTokens = [eos]
/// let result = try generator.generate(prompt: prompt, settings: settings) { token in
///     print(tokenizer.decode([token]), terminator: "")
///     return true                      // false stops early
/// }
/// ```
public struct TokenGenerator<Model: AutoregressiveModel> {
    /// The model being extended.
    public let model: Model

    /// A generator for `model`.
    public init(model: Model) {
        self.model = model
    }

    /// Generates a continuation of `prompt`.
    ///
    /// - Parameters:
    ///   - prompt: at least one token id in `0..<model.vocabularySize`.
    ///   - settings: validated first; in `.beamSearch` mode the best ``BeamSearch``
    ///     hypothesis is returned and streamed once the search is over.
    ///   - processors: application processors, built once for this sequence and run after
    ///     the repetition penalty and before the other settings' masks and truncations.
    ///   - onToken: called with every generated token (not the stop token); return `false`
    ///     to stop, the token just reported being the last one kept.
    /// - Throws: ``GenerationError`` for invalid settings or prompts, dead-end constraints and
    ///   malformed model output; anything the model or a processor throws.
    public func generate(
        prompt: [Int], settings: GenerationSettings, processors: [LogitsProcessorFactory] = [],
        onToken: ((_ token: Int) -> Bool)? = nil
    ) throws -> GenerationResult {
        let callback = onToken.map { handler in { (_: Int, token: Int) in handler(token) } }
        return try generate(prompts: [prompt], settings: settings, processors: processors, onToken: callback)[0]
    }

    /// Generates a continuation of every prompt, batching the unfinished sequences into one
    /// model call per step.
    ///
    /// - Parameter onToken: called with `(sequence index, token)`; returning `false` stops
    ///   that sequence only.
    /// - Returns: one result per prompt, in order.
    ///
    /// ```swift
    /// let results = try generator.generate(prompts: [[bos, 5], [bos, 9, 2]], settings: settings)
    /// ```
    public func generate(
        prompts: [[Int]], settings: GenerationSettings, processors: [LogitsProcessorFactory] = [],
        onToken: ((_ sequence: Int, _ token: Int) -> Bool)? = nil
    ) throws -> [GenerationResult] {
        try settings.validate(vocabularySize: model.vocabularySize)
        try Self.checkPrompts(prompts, vocabularySize: model.vocabularySize)
        if settings.mode == .beamSearch {
            return try prompts.indices.map { i in
                try beamResult(prompt: prompts[i], index: i, settings: settings, processors: processors, onToken: onToken)
            }
        }

        let factories = try settings.makeProcessorFactories(extra: processors)
        let chains = try prompts.indices.map {
            try LogitsProcessorChain(factories: factories, sequence: SequenceInfo(index: $0, prompt: prompts[$0]))
        }
        var samplers = try prompts.indices.map { try settings.makeSampler(sequenceIndex: $0) }
        let stopTokens = Set(settings.stopTokens)
        var contexts = prompts
        var generated = Array(repeating: [Int](), count: prompts.count)
        var finishReasons = Array(repeating: FinishReason.maxNewTokens, count: prompts.count)
        guard settings.maxNewTokens > 0 else {
            return generated.map { GenerationResult(tokens: $0, finishReason: .maxNewTokens) }
        }

        // Optional slots so a state can be moved out for the batched call and back in,
        // leaving it uniquely referenced (value-type states are not copied on append).
        var states: [Model.State?] = prompts.map { _ in model.makeState() }
        var active = Array(prompts.indices)
        var pending = prompts
        while !active.isEmpty {
            var batchStates: [Model.State] = active.map { i in
                defer { states[i] = nil }
                return states[i]!
            }
            let logits = try model.nextTokenLogits(appending: active.map { pending[$0] }, to: &batchStates)
            for (slot, i) in active.enumerated() { states[i] = batchStates[slot] }

            var stillActive: [Int] = []
            for (slot, i) in active.enumerated() {
                var row = logits[slot]
                let token: Int
                do {
                    try chains[i].process(&row, context: contexts[i])
                    token = try samplers[i].sample(from: row)
                } catch GenerationError.noValidToken {
                    throw GenerationError.noValidToken(
                        context: "sequence \(i) after \(generated[i].count) generated tokens")
                }
                if stopTokens.contains(token) {
                    finishReasons[i] = .stopToken(token)
                    continue
                }
                generated[i].append(token)
                contexts[i].append(token)
                if let onToken, !onToken(i, token) {
                    finishReasons[i] = .stoppedByCallback
                    continue
                }
                if generated[i].count >= settings.maxNewTokens { continue }
                pending[i] = [token]
                stillActive.append(i)
            }
            active = stillActive
        }
        return zip(generated, finishReasons).map { GenerationResult(tokens: $0, finishReason: $1) }
    }

    /// Beam mode through the generator: search, then stream the best hypothesis.
    private func beamResult(
        prompt: [Int], index: Int, settings: GenerationSettings, processors: [LogitsProcessorFactory],
        onToken: ((Int, Int) -> Bool)?
    ) throws -> GenerationResult {
        let best = try BeamSearch(model: model)
            .search(prompt: prompt, settings: settings, processors: processors, sequenceIndex: index)[0]
        var result = GenerationResult(tokens: best.tokens, finishReason: best.finishReason)
        if let onToken {
            for (position, token) in best.tokens.enumerated() where !onToken(index, token) {
                result = GenerationResult(tokens: Array(best.tokens[...position]), finishReason: .stoppedByCallback)
                break
            }
        }
        return result
    }

    static func checkPrompts(_ prompts: [[Int]], vocabularySize: Int) throws {
        for (i, prompt) in prompts.enumerated() {
            guard !prompt.isEmpty else { throw GenerationError.emptyPrompt(sequence: i) }
            if let bad = prompt.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw GenerationError.tokenOutOfRange(field: "prompt \(i)", token: bad, vocabularySize: vocabularySize)
            }
        }
    }
}
