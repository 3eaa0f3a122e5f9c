#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Beam search with length normalisation.
// Length penalty: Wu et al. 2016, "Google's Neural Machine Translation System", section 7,
// equation 14, in the simplified form s(Y) = log P(Y) / |Y|^alpha used by Hugging Face
// (GNMT's lp(Y) = (5 + |Y|)^alpha / 6^alpha ranks hypotheses the same way up to the
// constant 5). Candidate selection (2 x beamCount per beam, a stop token only finishing a
// hypothesis when it ranks within the first beamCount candidates) follows Hugging Face's
// BeamSearchScorer.

/// Keeps the `beamCount` most likely partial sequences and returns the best finished ones.
///
/// Each step feeds every live beam's last token in ONE `logits(appending:to:)` call, runs
/// the beam's own ``LogitsProcessorChain`` (repetition penalty, banned tokens, minimum
/// length, application processors; temperature, top-k and top-p are sampling-only and not
/// applied), takes log-softmax, and ranks all extensions by total log-probability. A beam
/// that several survivors extend is forked with `copyState` and ``LogitsProcessor/forked()``.
///
/// A stop token finishes a hypothesis, scored `logP / length^lengthPenalty` (`length`
/// counts the stop token). Search stops early once `beamCount` hypotheses are finished and no
/// live beam can still beat the worst of them: log-probabilities only fall as a beam grows,
/// so the best a live beam with total `s` can reach is `s / L^alpha` at the most favourable
/// remaining length `L`, which makes the early stop exact rather than heuristic.
///
/// ```swift
/// var settings = GenerationSettings()
/// settings.mode = .beamSearch
/// settings.beamCount = 4
/// settings.hypothesisCount = 2
/// settings.lengthPenalty = 0.6
/// settings.stopTokens = [eos]
/// let hypotheses = try BeamSearch(model: model).search(prompt: prompt, settings: settings)
/// print(hypotheses[0].tokens, hypotheses[0].score)
/// ```
public struct BeamSearch<Model: AutoregressiveModel> {
    /// The model being searched.
    public let model: Model

    /// A beam search over `model`.
    public init(model: Model) {
        self.model = model
    }

    /// The `settings.hypothesisCount` best hypotheses continuing `prompt`, best first.
    ///
    /// Uses `beamCount`, `hypothesisCount`, `lengthPenalty`, `maxNewTokens`, `minNewTokens`,
    /// `stopTokens`, `bannedTokens` and `repetitionPenalty`; `mode` is ignored.
    ///
    /// - Parameter processors: application processors, built once for the root beam and
    ///   forked with the beams.
    /// - Throws: ``GenerationError`` for invalid settings or prompt, or when every beam is a
    ///   dead end before any hypothesis finished.
    public func search(
        prompt: [Int], settings: GenerationSettings, processors: [LogitsProcessorFactory] = []
    ) throws -> [BeamHypothesis] {
        try search(prompt: prompt, settings: settings, processors: processors, sequenceIndex: 0)
    }

    /// The same search, starting from a state that already holds `prompt` and the logits of
    /// its last token (a prompt prefilled elsewhere, e.g. packed with others by prepacking).
    /// The state is consumed: pass a copy to keep the original.
    public func search(
        prompt: [Int], prefilled state: Model.State, lastLogits: [Float], settings: GenerationSettings,
        processors: [LogitsProcessorFactory] = []
    ) throws -> [BeamHypothesis] {
        guard model.length(of: state) == prompt.count, lastLogits.count == model.vocabularySize else {
            throw GenerationError.modelOutputMismatch(
                detail: "prefilled state holds \(model.length(of: state)) tokens and \(lastLogits.count) logits, "
                    + "expected \(prompt.count) and \(model.vocabularySize)")
        }
        return try search(prompt: prompt, settings: settings, processors: processors, sequenceIndex: 0,
                          prefilled: (state, lastLogits))
    }

    func search(
        prompt: [Int], settings: GenerationSettings, processors: [LogitsProcessorFactory], sequenceIndex: Int,
        prefilled: (state: Model.State, logits: [Float])? = nil
    ) throws -> [BeamHypothesis] {
        var settings = settings
        settings.mode = .beamSearch
        try settings.validate(vocabularySize: model.vocabularySize)
        try TokenGenerator<Model>.checkPrompts([prompt], vocabularySize: model.vocabularySize)
        let beamCount = settings.beamCount
        let maxNewTokens = settings.maxNewTokens
        let alpha = Double(settings.lengthPenalty)
        let stopTokens = Set(settings.stopTokens)
        guard maxNewTokens > 0 else {
            return [BeamHypothesis(tokens: [], logProbability: 0, score: 0, finishReason: .maxNewTokens)]
        }
        func normalized(_ logProbability: Double, length: Int) -> Double {
            logProbability / pow(Double(max(length, 1)), alpha)
        }

        var finished = FinishedHypotheses(capacity: beamCount)
        var tokens: [[Int]] = [[]]
        var totals: [Double] = [0]
        var chains = [try settings.makeProcessorChain(for: SequenceInfo(index: sequenceIndex, prompt: prompt), extra: processors)]
        var states = [prefilled?.state ?? model.makeState()]
        var pending = [prompt]

        for step in 0..<maxNewTokens {
            let logits = step == 0 && prefilled != nil ? [prefilled!.logits] : try model.nextTokenLogits(appending: pending, to: &states)
            let candidates = try rankedCandidates(
                logits: logits, prompt: prompt, tokens: tokens, totals: totals, chains: chains, perBeam: 2 * beamCount)
            guard !candidates.isEmpty else {
                if finished.isEmpty {
                    throw GenerationError.noValidToken(context: "beam search: every beam is a dead end after \(step) tokens")
                }
                break
            }

            var survivors: [Candidate] = []
            for (rank, candidate) in candidates.enumerated() {
                if stopTokens.contains(candidate.token) {
                    // A stop ranked below the beam width would not have survived as a beam
                    // either, so it may not finish a hypothesis (Hugging Face's rule).
                    if rank < beamCount {
                        finished.insert(BeamHypothesis(
                            tokens: tokens[candidate.beam], logProbability: candidate.total,
                            score: normalized(candidate.total, length: step + 1),
                            finishReason: .stopToken(candidate.token)))
                    }
                    continue
                }
                survivors.append(candidate)
                if survivors.count == beamCount { break }
            }

            let length = step + 1
            if length == maxNewTokens {
                for survivor in survivors {
                    finished.insert(BeamHypothesis(
                        tokens: tokens[survivor.beam] + [survivor.token], logProbability: survivor.total,
                        score: normalized(survivor.total, length: length), finishReason: .maxNewTokens))
                }
                break
            }
            guard let best = survivors.first else { break }
            if finished.isFull, let worst = finished.worstScore {
                let bound = max(normalized(best.total, length: length + 1), normalized(best.total, length: maxNewTokens))
                if bound <= worst { break }
            }

            // The first child of a parent takes over its state and chain; later children get
            // copies made now, before the next call appends to any of them.
            var taken = Array(repeating: false, count: states.count)
            var nextStates: [Model.State] = []
            var nextChains: [LogitsProcessorChain] = []
            for survivor in survivors {
                let parent = survivor.beam
                if taken[parent] {
                    nextStates.append(model.copyState(states[parent]))
                    nextChains.append(chains[parent].forkedChain())
                } else {
                    taken[parent] = true
                    nextStates.append(states[parent])
                    nextChains.append(chains[parent])
                }
            }
            tokens = survivors.map { tokens[$0.beam] + [$0.token] }
            totals = survivors.map(\.total)
            pending = survivors.map { [$0.token] }
            chains = nextChains
            states = nextStates
        }
        return Array(finished.hypotheses.prefix(settings.hypothesisCount))
    }

    /// One possible extension of a beam.
    private struct Candidate {
        var beam: Int
        var token: Int
        var total: Double
    }

    /// The best `perBeam` extensions of every live beam, all ranked by total log-probability
    /// (ties: lower beam, then lower token, so beam 1 reproduces greedy's lowest-id rule).
    private func rankedCandidates(
        logits: [[Float]], prompt: [Int], tokens: [[Int]], totals: [Double],
        chains: [LogitsProcessorChain], perBeam: Int
    ) throws -> [Candidate] {
        var candidates: [Candidate] = []
        for beam in logits.indices {
            var row = logits[beam]
            try chains[beam].process(&row, context: prompt + tokens[beam])
            let logProbabilities: [Double]
            do {
                logProbabilities = try LogitsMath.logSoftmax(row, where: "beam \(beam)")
            } catch GenerationError.noValidToken {
                continue   // a dead-end beam simply drops out
            }
            for token in LogitsMath.topIndices(logProbabilities, count: perBeam) {
                candidates.append(Candidate(beam: beam, token: token, total: totals[beam] + logProbabilities[token]))
            }
        }
        candidates.sort {
            if $0.total != $1.total { return $0.total > $1.total }
            return $0.beam != $1.beam ? $0.beam < $1.beam : $0.token < $1.token
        }
        return candidates
    }
}

/// The best finished hypotheses so far, sorted by score (earlier insertions win ties).
struct FinishedHypotheses {
    let capacity: Int
    private(set) var hypotheses: [BeamHypothesis] = []

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { hypotheses.isEmpty }
    var isFull: Bool { hypotheses.count >= capacity }
    var worstScore: Double? { hypotheses.last?.score }

    mutating func insert(_ hypothesis: BeamHypothesis) {
        let position = hypotheses.firstIndex { $0.score < hypothesis.score } ?? hypotheses.count
        hypotheses.insert(hypothesis, at: position)
        if hypotheses.count > capacity { hypotheses.removeLast() }
    }
}
