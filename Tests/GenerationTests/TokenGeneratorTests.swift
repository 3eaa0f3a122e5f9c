import Foundation
import Generation
import Testing

/// Records every context it is called with; one instance per sequence via a factory.
final class ContextRecorder: LogitsProcessor, @unchecked Sendable {
    let sequence: Int
    private(set) var contexts: [[Int]] = []
    init(sequence: Int, contexts: [[Int]] = []) {
        self.sequence = sequence
        self.contexts = contexts
    }
    func process(_ logits: inout [Float], context: [Int]) throws { contexts.append(context) }
    func forked() -> any LogitsProcessor { ContextRecorder(sequence: sequence, contexts: contexts) }
}

/// Thread-safe list of the recorders a factory created.
final class RecorderRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ContextRecorder] = []
    var recorders: [ContextRecorder] { lock.withLock { stored } }
    var factory: LogitsProcessorFactory {
        LogitsProcessorFactory { sequence in
            let recorder = ContextRecorder(sequence: sequence.index)
            self.lock.withLock { self.stored.append(recorder) }
            return recorder
        }
    }
}

@Suite("Token generator")
struct TokenGeneratorTests {
    static func greedySettings(maxNewTokens: Int = 10) -> GenerationSettings {
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = maxNewTokens
        return settings
    }

    /// The greedy continuation of a bigram model, computed directly from its table.
    static func expectedGreedy(_ model: BigramModel, after last: Int, count: Int) -> [Int] {
        var tokens: [Int] = []
        var current = last
        for _ in 0..<count {
            current = argmax(model.table[current])
            tokens.append(current)
        }
        return tokens
    }

    @Test("greedy follows the argmax and is deterministic", arguments: [UInt64(1), 2, 3, 4])
    func greedy(seed: UInt64) throws {
        let model = BigramModel(vocabularySize: 12, seed: seed)
        let generator = TokenGenerator(model: model)
        let result = try generator.generate(prompt: [3, 5], settings: Self.greedySettings())
        #expect(result.tokens == Self.expectedGreedy(model, after: 5, count: 10))
        #expect(result.finishReason == .maxNewTokens)
        #expect(try generator.generate(prompt: [3, 5], settings: Self.greedySettings()) == result)
    }

    @Test("a stop token ends the sequence and is not returned")
    func stopTokens() throws {
        let model = BigramModel(vocabularySize: 12, seed: 7)
        let full = Self.expectedGreedy(model, after: 0, count: 12)
        let stop = full[3]
        let cut = full.firstIndex(of: stop)!
        var settings = Self.greedySettings(maxNewTokens: 12)
        settings.stopTokens = [stop]
        let result = try TokenGenerator(model: model).generate(prompt: [0], settings: settings)
        #expect(result.tokens == Array(full[..<cut]))
        #expect(result.finishReason == .stopToken(stop))
    }

    @Test("maxNewTokens bounds the length; 0 never calls the model", arguments: [0, 1, 7])
    func maxLength(maxNewTokens: Int) throws {
        let model = BigramModel(vocabularySize: 9, seed: 3)
        var settings = GenerationSettings()
        settings.maxNewTokens = maxNewTokens
        let result = try TokenGenerator(model: model).generate(prompt: [1, 2], settings: settings)
        #expect(result.tokens.count == maxNewTokens)
        #expect(result.finishReason == .maxNewTokens)
        #expect(model.batchSizes.count == maxNewTokens)
    }

    @Test("minNewTokens holds off a dominant stop token")
    func minimumNewTokens() throws {
        // Token 0 is the stop token and by far the most likely after every token.
        let table: [[Float]] = (0..<4).map { _ in [10, 1, 0, 0] }
        var settings = Self.greedySettings(maxNewTokens: 20)
        settings.stopTokens = [0]
        settings.minNewTokens = 4
        let result = try TokenGenerator(model: BigramModel(table: table)).generate(prompt: [2], settings: settings)
        #expect(result.tokens == [1, 1, 1, 1])
        #expect(result.finishReason == .stopToken(0))
    }

    @Test("the streaming callback sees every token and can stop early")
    func streaming() throws {
        let model = BigramModel(vocabularySize: 16, seed: 5)
        var settings = GenerationSettings()
        settings.maxNewTokens = 12
        settings.seed = 9
        let generator = TokenGenerator(model: model)
        var streamed: [Int] = []
        let result = try generator.generate(prompt: [4], settings: settings) { streamed.append($0); return true }
        #expect(streamed == result.tokens && streamed.count == 12)

        var early: [Int] = []
        let stopped = try generator.generate(prompt: [4], settings: settings) { token in
            early.append(token)
            return early.count < 3
        }
        #expect(early == Array(result.tokens.prefix(3)))
        #expect(stopped.tokens == early)
        #expect(stopped.finishReason == .stoppedByCallback)
    }

    @Test("batched generation equals each prompt alone with seed + index", arguments: [
        GenerationSettings.Mode.sampling, .greedy,
    ])
    func batchedEqualsAlone(mode: GenerationSettings.Mode) throws {
        let model = BigramModel(vocabularySize: 20, seed: 11, scale: 1)
        var settings = GenerationSettings()
        settings.mode = mode
        settings.maxNewTokens = 25
        settings.temperature = 1.3
        settings.topK = 12
        settings.topP = 0.95
        settings.repetitionPenalty = 1.2
        settings.stopTokens = [0, 1]
        settings.seed = 1000
        let prompts = [[2], [3, 4, 5], [6, 7], [19, 18, 17, 16], [2]]
        let generator = TokenGenerator(model: model)
        let batched = try generator.generate(prompts: prompts, settings: settings)
        for (i, prompt) in prompts.enumerated() {
            var alone = settings
            alone.seed = settings.seed + UInt64(i)
            #expect(try generator.generate(prompt: prompt, settings: alone) == batched[i], "sequence \(i)")
        }
        if mode == .sampling {
            // Same prompt, different index: independent streams.
            #expect(batched[0] != batched[4])
        }
    }

    @Test("one model call per step covers exactly the unfinished sequences")
    func oneCallPerStep() throws {
        let model = BigramModel(vocabularySize: 10, seed: 21, scale: 1)
        var settings = GenerationSettings()
        settings.maxNewTokens = 30
        settings.stopTokens = [0, 1, 2]
        settings.seed = 4
        let results = try TokenGenerator(model: model).generate(prompts: [[3], [4], [5], [6], [7], [8]], settings: settings)
        // A sequence takes part in one call per sampled token, its stop token included.
        let calls = results.map { $0.tokens.count + ($0.finishReason == .maxNewTokens ? 0 : 1) }
        #expect(model.batchSizes.count == calls.max())
        for (step, size) in model.batchSizes.enumerated() {
            #expect(size == calls.filter { $0 > step }.count, "step \(step)")
        }
        #expect(Set(calls).count > 1, "the seeds should make sequences finish at different steps")
    }

    @Test("allowed-token masks are respected on every sampled token")
    func masksRespected() throws {
        let model = BigramModel(vocabularySize: 30, seed: 8, scale: 3)
        var settings = GenerationSettings()
        settings.maxNewTokens = 200
        settings.temperature = 2
        settings.bannedTokens = [5]
        let allowed: Set<Int> = [2, 5, 7, 11, 29]
        let mask = LogitsProcessorFactory(try AllowedTokensProcessor(allowed: allowed))
        let results = try TokenGenerator(model: model).generate(
            prompts: [[0], [1], [2], [3]], settings: settings, processors: [mask])
        let tokens = results.flatMap(\.tokens)
        #expect(tokens.count == 800)
        #expect(tokens.allSatisfy { allowed.contains($0) && $0 != 5 })
        #expect(Set(tokens) == [2, 7, 11, 29], "high temperature should visit every allowed token")
    }

    @Test("each sequence gets its own processor instance and sees only its own context")
    func perSequenceProcessors() throws {
        let model = BigramModel(vocabularySize: 10, seed: 2)
        let registry = RecorderRegistry()
        var settings = GenerationSettings()
        settings.maxNewTokens = 6
        let prompts = [[1], [2, 3], [4, 5, 6]]
        let results = try TokenGenerator(model: model).generate(
            prompts: prompts, settings: settings, processors: [registry.factory])
        let recorders = registry.recorders.sorted { $0.sequence < $1.sequence }
        #expect(recorders.map(\.sequence) == [0, 1, 2])
        for recorder in recorders {
            let i = recorder.sequence
            let expected = (0..<6).map { prompts[i] + results[i].tokens.prefix($0) }
            #expect(recorder.contexts == expected, "sequence \(i)")
        }
    }

    @Test("bad prompts, dead ends and malformed model output throw typed errors")
    func errors() throws {
        let model = BigramModel(vocabularySize: 5, seed: 1)
        let generator = TokenGenerator(model: model)
        let settings = GenerationSettings()
        #expect(catchError { try generator.generate(prompts: [[1], []], settings: settings) } as? GenerationError
            == .emptyPrompt(sequence: 1))
        #expect(catchError { try generator.generate(prompt: [1, 5], settings: settings) } as? GenerationError
            == .tokenOutOfRange(field: "prompt 0", token: 5, vocabularySize: 5))

        let deadEnd = LogitsProcessorFactory(ConstraintProcessor { context in context.count >= 3 ? [] : nil })
        let error = catchError { try generator.generate(prompt: [1], settings: settings, processors: [deadEnd]) }
        #expect(error as? GenerationError == .noValidToken(context: "sequence 0 after 2 generated tokens"))

        let broken = catchError { try TokenGenerator(model: BrokenModel()).generate(prompt: [1], settings: settings) }
        guard case .modelOutputMismatch? = broken as? GenerationError else {
            Issue.record("expected modelOutputMismatch, got \(String(describing: broken))")
            return
        }
    }

    @Test("sampling is reproducible per seed and differs across seeds")
    func seeds() throws {
        let model = BigramModel(vocabularySize: 50, seed: 13, scale: 0.5)
        let generator = TokenGenerator(model: model)
        var settings = GenerationSettings()
        settings.maxNewTokens = 40
        settings.seed = 77
        let first = try generator.generate(prompt: [1], settings: settings)
        #expect(try generator.generate(prompt: [1], settings: settings) == first)
        settings.seed = 78
        #expect(try generator.generate(prompt: [1], settings: settings) != first)
    }
}
