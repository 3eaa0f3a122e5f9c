import Foundation
import Generation
import Testing

/// The surviving (finite) tokens of a processed row.
private func support(_ logits: [Float]) -> Set<Int> {
    Set(logits.indices.filter { logits[$0] > -.infinity })
}

@Suite("Logits processors")
struct LogitsProcessorTests {
    @Test("temperature divides every logit exactly", arguments: [Float(0.5), 0.7, 1, 2, 3.5])
    func temperatureScaling(temperature: Float) throws {
        let original: [Float] = [2.5, -1.25, 0, 7, -.infinity]
        var logits = original
        try TemperatureProcessor(temperature: temperature).process(&logits, context: [])
        #expect(logits == original.map { $0 / temperature })
    }

    @Test("temperature <= 0 or non-finite throws naming temperature", arguments: [Float(0), -1, .infinity, .nan])
    func temperatureRejects(temperature: Float) {
        #expect(throws: GenerationError.self) { try TemperatureProcessor(temperature: temperature) }
        #expect(field(of: catchError { try TemperatureProcessor(temperature: temperature) }) == "temperature")
    }

    // Hand-computed: logits [0.1, 3, 2, -1, 2, 5]; sorted 5 (5), 3 (1), 2 (2), 2 (4), 0.1 (0), -1 (3).
    static let topKCases: [(Int, Set<Int>)] = [
        (1, [5]), (2, [5, 1]), (3, [5, 1, 2]), (4, [5, 1, 2, 4]),
        (5, [5, 1, 2, 4, 0]), (6, Set(0..<6)), (100, Set(0..<6)),
    ]

    @Test("top-k keeps exactly the k largest (ties to the lower id)", arguments: topKCases)
    func topKSupport(k: Int, expected: Set<Int>) throws {
        let original: [Float] = [0.1, 3, 2, -1, 2, 5]
        var logits = original
        try TopKProcessor(k: k).process(&logits, context: [])
        #expect(support(logits) == expected)
        for token in expected { #expect(logits[token] == original[token], "kept logits are unchanged") }
    }

    @Test("top-k never revives masked tokens")
    func topKWithMasked() throws {
        var logits: [Float] = [-.infinity, 1, -.infinity, 0]
        try TopKProcessor(k: 3).process(&logits, context: [])
        #expect(support(logits) == [1, 3])
    }

    // Probabilities [0.05, 0.5, 0.1, 0.3, 0.05]: sorted 1 (0.5), 3 (0.3), 2 (0.1), 0, 4 (0.05 each).
    // Mass above each rank: 0, 0.5, 0.8, 0.9, 0.95.
    static let topPCases: [(Float, Set<Int>)] = [
        (0.3, [1]), (0.45, [1]), (0.6, [1, 3]), (0.75, [1, 3]),
        (0.85, [1, 3, 2]), (0.92, [1, 3, 2, 0]), (0.97, Set(0..<5)), (1, Set(0..<5)),
    ]

    @Test("top-p keeps the smallest prefix reaching p", arguments: topPCases)
    func topPSupport(p: Float, expected: Set<Int>) throws {
        let probabilities = [0.05, 0.5, 0.1, 0.3, 0.05]
        // A shared offset checks that only the softmax, not the raw scale, matters.
        let original = probabilities.map { Float(log($0)) + 10 }
        var logits = original
        try TopPProcessor(p: p).process(&logits, context: [])
        #expect(support(logits) == expected)
        for token in expected { #expect(logits[token] == original[token]) }
    }

    @Test("top-p outside (0, 1] throws naming topP", arguments: [Float(0), -0.1, 1.01, .nan])
    func topPRejects(p: Float) {
        #expect(field(of: catchError { try TopPProcessor(p: p) }) == "topP")
    }

    @Test("top-k below 1 throws naming topK", arguments: [0, -3])
    func topKRejects(k: Int) {
        #expect(field(of: catchError { try TopKProcessor(k: k) }) == "topK")
    }

    @Test("repetition penalty divides positive and multiplies negative logits of seen tokens")
    func repetitionPenaltyRule() throws {
        var logits: [Float] = [4, -1, 3, -2, 0, 6]
        // Token 0 appears twice but is penalised once; 4 (logit 0) stays 0; 99 is out of range.
        try RepetitionPenaltyProcessor(penalty: 2).process(&logits, context: [0, 1, 0, 4, 99, 5])
        #expect(logits == [2, -2, 3, -2, 0, 3])

        var favoured: [Float] = [4, -1]
        try RepetitionPenaltyProcessor(penalty: 0.5).process(&favoured, context: [0, 1])
        #expect(favoured == [8, -0.5])
    }

    @Test("repetition penalty <= 0 throws naming repetitionPenalty", arguments: [Float(0), -1.5, .infinity])
    func repetitionPenaltyRejects(penalty: Float) {
        #expect(field(of: catchError { try RepetitionPenaltyProcessor(penalty: penalty) }) == "repetitionPenalty")
    }

    @Test("allowed and banned token masks")
    func allowedAndBanned() throws {
        var logits: [Float] = [1, 2, 3, 4, 5]
        try AllowedTokensProcessor(allowed: [1, 3, 17]).process(&logits, context: [])
        #expect(logits == [-.infinity, 2, -.infinity, 4, -.infinity])

        var banned: [Float] = [1, 2, 3, 4, 5]
        try AllowedTokensProcessor(banned: [0, 4, 17]).process(&banned, context: [])
        #expect(banned == [-.infinity, 2, 3, 4, -.infinity])

        #expect(field(of: catchError { try AllowedTokensProcessor(allowed: []) }) == "allowedTokens")
        #expect(field(of: catchError { try AllowedTokensProcessor(banned: [-1]) }) == "bannedTokens")
    }

    @Test("minimum length bans stop tokens until n tokens are generated")
    func minimumLength() throws {
        let processor = try MinimumLengthProcessor(minimumNewTokens: 2, stopTokens: [0, 3], promptLength: 3)
        for (generatedCount, banned) in [(0, true), (1, true), (2, false), (5, false)] {
            var logits: [Float] = [1, 1, 1, 1]
            try processor.process(&logits, context: Array(repeating: 1, count: 3 + generatedCount))
            #expect((logits[0] == -.infinity) == banned && (logits[3] == -.infinity) == banned, "after \(generatedCount)")
            #expect(logits[1] == 1 && logits[2] == 1)
        }
        #expect(field(of: catchError { try MinimumLengthProcessor(minimumNewTokens: -1, stopTokens: [], promptLength: 0) })
            == "minNewTokens")
    }

    @Test("constraint closure masks everything outside its set, nil leaves logits alone")
    func constraint() throws {
        // Only tokens that follow the last one in a tiny "corpus" [1, 2, 1, 3].
        let corpus = [1, 2, 1, 3]
        let processor = ConstraintProcessor { context in
            guard let last = context.last else { return nil }
            let next = zip(corpus, corpus.dropFirst()).filter { $0.0 == last }.map(\.1)
            return next.isEmpty ? nil : Set(next)
        }
        var logits: [Float] = [0, 0, 0, 0]
        try processor.process(&logits, context: [1])
        #expect(support(logits) == [2, 3])
        var free: [Float] = [0, 0, 0, 0]
        try processor.process(&free, context: [3])
        #expect(free == [0, 0, 0, 0])
    }

    @Test("chain applies processors in order and forks each one")
    func chainOrder() throws {
        // Penalty first lowers token 0 (4 -> 2) below token 1, so top-k 1 keeps token 1;
        // running top-k first would have kept token 0.
        let chain = LogitsProcessorChain([
            try RepetitionPenaltyProcessor(penalty: 2),
            try TemperatureProcessor(temperature: 0.5),
            try TopKProcessor(k: 1),
        ])
        var logits: [Float] = [4, 3, -1]
        try chain.process(&logits, context: [0])
        #expect(logits == [-.infinity, 6, -.infinity])
        #expect((chain.forked() as? LogitsProcessorChain)?.processors.count == 3)
    }
}

/// The error `body` throws, or nil.
func catchError<T>(_ body: () throws -> T) -> (any Error)? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
