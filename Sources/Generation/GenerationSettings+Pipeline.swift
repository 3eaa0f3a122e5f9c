/// Validation and the translation of settings into a sampler and a processor chain.
extension GenerationSettings {
    /// Checks every field, throwing on the first bad one with an error naming it.
    ///
    /// - Parameter vocabularySize: when given, token ids in `stopTokens` and `bannedTokens`
    ///   must also lie in `0..<vocabularySize`.
    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` or
    ///   ``GenerationError/tokenOutOfRange(field:token:vocabularySize:)``.
    ///
    /// ```swift
    /// var settings = GenerationSettings()
    /// settings.topP = 1.5
    /// try settings.validate()   // throws "topP: must be in (0, 1], got 1.5"
    /// ```
    public func validate(vocabularySize: Int? = nil) throws {
        func invalid(_ field: String, _ reason: String) -> GenerationError {
            .invalidSetting(field: field, reason: reason)
        }
        guard maxNewTokens >= 0 else { throw invalid("maxNewTokens", "must be >= 0, got \(maxNewTokens)") }
        guard minNewTokens >= 0 else { throw invalid("minNewTokens", "must be >= 0, got \(minNewTokens)") }
        guard minNewTokens <= maxNewTokens else {
            throw invalid("minNewTokens", "must be <= maxNewTokens (\(maxNewTokens)), got \(minNewTokens)")
        }
        guard temperature.isFinite, temperature >= 0 else {
            throw invalid("temperature", "must be finite and >= 0, got \(temperature)")
        }
        if mode == .sampling, temperature == 0 {
            throw invalid("temperature", "0 is not a sampling temperature; set mode to \"greedy\" for deterministic decoding")
        }
        if let topK {
            guard topK >= 1 else { throw invalid("topK", "must be >= 1, got \(topK) (leave it unset to disable top-k)") }
        }
        if let topP {
            guard topP > 0, topP <= 1 else { throw invalid("topP", "must be in (0, 1], got \(topP)") }
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw invalid("repetitionPenalty", "must be finite and > 0 (1 disables it), got \(repetitionPenalty)")
        }
        for (field, tokens) in [("stopTokens", stopTokens), ("bannedTokens", bannedTokens)] {
            for token in tokens {
                guard token >= 0 else { throw invalid(field, "token ids must be >= 0, got \(token)") }
                if let vocabularySize, token >= vocabularySize {
                    throw GenerationError.tokenOutOfRange(field: field, token: token, vocabularySize: vocabularySize)
                }
            }
        }
        guard beamCount >= 1 else { throw invalid("beamCount", "must be >= 1, got \(beamCount)") }
        guard hypothesisCount >= 1, hypothesisCount <= beamCount else {
            throw invalid("hypothesisCount", "must be in 1...beamCount (\(beamCount)), got \(hypothesisCount)")
        }
        guard lengthPenalty.isFinite else { throw invalid("lengthPenalty", "must be finite, got \(lengthPenalty)") }
    }

    /// The sampler for sequence `sequenceIndex`: greedy for `.greedy` and `.beamSearch`
    /// (beam search ranks candidates itself), otherwise categorical seeded with
    /// ``seed(forSequence:)``.
    ///
    /// ```swift
    /// var sampler = try settings.makeSampler(sequenceIndex: 0)
    /// let token = try sampler.sample(from: logits)
    /// ```
    public func makeSampler(sequenceIndex: Int = 0) throws -> any Sampler {
        try validate()
        switch mode {
        case .sampling: return CategoricalSampler(seed: seed(forSequence: sequenceIndex))
        case .greedy, .beamSearch: return GreedySampler()
        }
    }

    /// The factories behind ``makeProcessorChain(for:extra:)``, in the order they run:
    /// repetition penalty, `extra` (application processors), banned tokens, minimum length,
    /// then, when sampling, temperature, top-k and top-p.
    ///
    /// Masks come before the truncations so that top-k and top-p choose among the tokens
    /// the application allows, and temperature comes before top-p because the nucleus is a
    /// property of the distribution actually sampled.
    public func makeProcessorFactories(extra: [LogitsProcessorFactory] = []) throws -> [LogitsProcessorFactory] {
        try validate()
        var factories: [LogitsProcessorFactory] = []
        if repetitionPenalty != 1 {
            factories.append(LogitsProcessorFactory(try RepetitionPenaltyProcessor(penalty: repetitionPenalty)))
        }
        factories += extra
        if !bannedTokens.isEmpty {
            factories.append(LogitsProcessorFactory(try AllowedTokensProcessor(banned: Set(bannedTokens))))
        }
        if minNewTokens > 0, !stopTokens.isEmpty {
            let minimum = minNewTokens
            let stops = Set(stopTokens)
            factories.append(LogitsProcessorFactory { sequence in
                try MinimumLengthProcessor(minimumNewTokens: minimum, stopTokens: stops, promptLength: sequence.prompt.count)
            })
        }
        if mode == .sampling {
            if temperature != 1 {
                factories.append(LogitsProcessorFactory(try TemperatureProcessor(temperature: temperature)))
            }
            if let topK { factories.append(LogitsProcessorFactory(try TopKProcessor(k: topK))) }
            if let topP, topP < 1 { factories.append(LogitsProcessorFactory(try TopPProcessor(p: topP))) }
        }
        return factories
    }

    /// The processor chain for one sequence (see ``makeProcessorFactories(extra:)`` for the order).
    ///
    /// ```swift
    /// let chain = try settings.makeProcessorChain(for: SequenceInfo(index: 0, prompt: prompt))
    /// var logits = modelLogits
    /// try chain.process(&logits, context: prompt)
    /// ```
    public func makeProcessorChain(
        for sequence: SequenceInfo, extra: [LogitsProcessorFactory] = []
    ) throws -> LogitsProcessorChain {
        try LogitsProcessorChain(factories: makeProcessorFactories(extra: extra), sequence: sequence)
    }
}
