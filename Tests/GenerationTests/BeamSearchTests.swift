import Foundation
import Generation
import NeuralNetworks
import Testing

/// Throws if a call's context does not extend the previous call's context by one token,
/// which is what happens when two beams share one stateful processor instance.
final class ForkChecker: LogitsProcessor, @unchecked Sendable {
    struct SharedAcrossBeams: Error {}
    private var last: [Int]?
    let forks: Bool
    init(forks: Bool, last: [Int]? = nil) {
        self.forks = forks
        self.last = last
    }
    func process(_ logits: inout [Float], context: [Int]) throws {
        if let last, Array(context.dropLast()) != last { throw SharedAcrossBeams() }
        last = context
    }
    func forked() -> any LogitsProcessor { forks ? ForkChecker(forks: true, last: last) : self }
}

@Suite("Beam search")
struct BeamSearchTests {
    static func beamSettings(beamCount: Int, maxNewTokens: Int, lengthPenalty: Float = 1) -> GenerationSettings {
        var settings = GenerationSettings()
        settings.mode = .beamSearch
        settings.beamCount = beamCount
        settings.maxNewTokens = maxNewTokens
        settings.lengthPenalty = lengthPenalty
        return settings
    }

    /// Sum of log-probabilities of `tokens` after `prompt` under `model`, computed directly.
    static func logProbability(of tokens: [Int], after prompt: [Int], model: ContextModel) -> Double {
        var context = prompt
        var total = 0.0
        for token in tokens {
            total += referenceLogSoftmax(model.next(context))[token]
            context.append(token)
        }
        return total
    }

    @Test("beam width 1 equals greedy", arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func beamOneIsGreedy(seed: UInt64) throws {
        let model = BigramModel(vocabularySize: 15, seed: seed)
        var greedy = GenerationSettings()
        greedy.mode = .greedy
        greedy.maxNewTokens = 20
        var beam = Self.beamSettings(beamCount: 1, maxNewTokens: 20)
        // With stop tokens, lengths differ, so compare under raw log-probability (alpha 0);
        // without them every hypothesis has the same length and alpha cannot matter.
        if seed.isMultiple(of: 2) {
            greedy.stopTokens = [0, 1, 2]
            beam.stopTokens = [0, 1, 2]
            beam.lengthPenalty = 0
        }
        let expected = try TokenGenerator(model: model).generate(prompt: [7], settings: greedy)
        let hypothesis = try BeamSearch(model: model).search(prompt: [7], settings: beam)[0]
        #expect(hypothesis.tokens == expected.tokens)
        #expect(hypothesis.finishReason == expected.finishReason)
    }

    /// After the prompt: 0 is likeliest first (0.5), but 1 (0.4) leads to 0.9-probability
    /// continuations, so greedy [0, 0, 0] (p = 0.5 * 0.34 / 3) loses to [1, 0, 1]
    /// (p = 0.4 * 0.9 * 0.9).
    static var trap: ContextModel { ContextModel(vocabularySize: 3, promptLength: 1, probabilities: [
        []: [0.5, 0.4, 0.1],
        [0]: [0.34, 0.33, 0.33],
        [1]: [0.9, 0.05, 0.05],
        [1, 0]: [0.05, 0.9, 0.05],
    ]) }

    @Test("beam search finds the brute-force optimum where greedy does not")
    func bruteForce() throws {
        let model = Self.trap
        let prompt = [2]
        // Every sequence of length 3 over the vocabulary of 3.
        let all = (0..<27).map { [$0 / 9, ($0 / 3) % 3, $0 % 3] }
        let scored = all.map { ($0, Self.logProbability(of: $0, after: prompt, model: model)) }
        let best = scored.max { $0.1 < $1.1 }!
        #expect(best.0 == [1, 0, 1])

        var greedySettings = GenerationSettings()
        greedySettings.mode = .greedy
        greedySettings.maxNewTokens = 3
        let greedy = try TokenGenerator(model: model).generate(prompt: prompt, settings: greedySettings)
        #expect(Self.logProbability(of: greedy.tokens, after: prompt, model: model) < best.1 - 0.5)

        var settings = Self.beamSettings(beamCount: 2, maxNewTokens: 3, lengthPenalty: 0.7)
        settings.hypothesisCount = 2
        let hypotheses = try BeamSearch(model: model).search(prompt: prompt, settings: settings)
        #expect(hypotheses.count == 2)
        #expect(hypotheses[0].tokens == best.0)
        #expect(abs(hypotheses[0].logProbability - best.1) < 1e-5)
        for hypothesis in hypotheses {
            let exact = Self.logProbability(of: hypothesis.tokens, after: prompt, model: model)
            #expect(abs(hypothesis.logProbability - exact) < 1e-5)
            #expect(abs(hypothesis.score - exact / pow(3, 0.7)) < 1e-5)
        }
        #expect(hypotheses[0].score >= hypotheses[1].score)
        // Beam width 1 falls into the trap, like greedy.
        let narrow = try BeamSearch(model: model).search(prompt: prompt, settings: Self.beamSettings(beamCount: 1, maxNewTokens: 3))
        #expect(narrow[0].tokens == greedy.tokens)
    }

    /// A search started from a state prefilled elsewhere (prepacking) equals the plain one,
    /// and a state that does not hold the prompt is rejected.
    @Test func prefilledStateGivesTheSameHypotheses() throws {
        let model = try SpeculativeDecoderTests.model(seed: 4, layers: 1)
        let prompt = [3, 9, 27, 1]
        var settings = Self.beamSettings(beamCount: 3, maxNewTokens: 4)
        settings.hypothesisCount = 3
        let plain = try BeamSearch(model: model).search(prompt: prompt, settings: settings)
        let (logits, caches) = try model.prefillPacked([[5, 6], prompt])
        let prefilled = try BeamSearch(model: model).search(prompt: prompt, prefilled: caches[1], lastLogits: logits[1], settings: settings)
        #expect(plain.map(\.tokens) == prefilled.map(\.tokens))
        for (a, b) in zip(plain, prefilled) { #expect(abs(a.logProbability - b.logProbability) < 1e-4) }
        #expect(throws: GenerationError.self) {
            try BeamSearch(model: model).search(prompt: prompt, prefilled: model.makeState(), lastLogits: logits[1], settings: settings)
        }
    }

    /// Token 0 stops. After the prompt token 2: stop now with 0.5, or 1 (0.45) followed by
    /// 1s at 0.9 each. Raw log-probability prefers stopping (-0.69 vs -1.12 for [1, 1, 1, 1]);
    /// per-token normalisation (alpha 1) prefers the long one (-0.28 per token).
    static var stopEarly: BigramModel { BigramModel(table: [
        [0, 0, 0],
        [log(0.05), log(0.9), log(0.05)],
        [log(0.5), log(0.45), log(0.05)],
    ].map { $0.map { Float($0) } }) }

    static let lengthPenaltyCases: [(Float, [[Int]])] = [
        (0, [[], [1, 1, 1, 1]]),
        (1, [[1, 1, 1, 1], []]),
    ]

    @Test("the length penalty changes the ranking", arguments: lengthPenaltyCases)
    func lengthPenalty(alpha: Float, expected: [[Int]]) throws {
        var settings = Self.beamSettings(beamCount: 2, maxNewTokens: 4, lengthPenalty: alpha)
        settings.stopTokens = [0]
        settings.hypothesisCount = 2
        let hypotheses = try BeamSearch(model: Self.stopEarly).search(prompt: [2], settings: settings)
        #expect(hypotheses.map(\.tokens) == expected)
        let stopped = hypotheses.first { $0.tokens.isEmpty }!
        #expect(stopped.finishReason == .stopToken(0))
        #expect(abs(stopped.logProbability - log(0.5)) < 1e-6)
        let long = hypotheses.first { $0.tokens.count == 4 }!
        #expect(long.finishReason == .maxNewTokens)
        #expect(abs(long.score - (log(0.45) + 3 * log(0.9)) / pow(4, Double(alpha))) < 1e-5)
    }

    @Test("forked beams get independent processors")
    func forking() throws {
        let model = BigramModel(vocabularySize: 8, seed: 31, scale: 0.5)
        let settings = Self.beamSettings(beamCount: 4, maxNewTokens: 6)
        let forking = LogitsProcessorFactory { _ in ForkChecker(forks: true) }
        let hypotheses = try BeamSearch(model: model).search(prompt: [1], settings: settings, processors: [forking])
        #expect(hypotheses.count == 1 && hypotheses[0].tokens.count == 6)
        // Control: a processor that wrongly shares itself across beams is caught.
        let sharing = LogitsProcessorFactory { _ in ForkChecker(forks: false) }
        #expect(throws: ForkChecker.SharedAcrossBeams.self) {
            try BeamSearch(model: model).search(prompt: [1], settings: settings, processors: [sharing])
        }
    }

    @Test("one model call per step for all beams; generator beam mode returns the best hypothesis")
    func batchingAndGeneratorMode() throws {
        let model = BigramModel(vocabularySize: 10, seed: 17, scale: 1)
        var settings = Self.beamSettings(beamCount: 3, maxNewTokens: 5)
        let hypotheses = try BeamSearch(model: model).search(prompt: [4, 2], settings: settings)
        #expect(model.batchSizes == [1, 3, 3, 3, 3])
        let result = try TokenGenerator(model: model).generate(prompt: [4, 2], settings: settings)
        #expect(result.tokens == hypotheses[0].tokens)

        settings.maxNewTokens = 0
        #expect(try BeamSearch(model: model).search(prompt: [4], settings: settings)[0].tokens == [])
    }
}
