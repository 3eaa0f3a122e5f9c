import Foundation
import Generation
import Testing

@Suite("Samplers")
struct SamplerTests {
    static let argmaxCases: [([Float], Int)] = [
        ([0.1, 2.5, -3], 1), ([7, 2.5, 7], 0), ([-.infinity, -5, -.infinity], 1), ([1e30, 1e30, 3e30], 2),
    ]

    @Test("greedy picks the argmax, ties to the lowest id", arguments: argmaxCases)
    func greedyArgmax(logits: [Float], expected: Int) throws {
        var sampler = GreedySampler()
        #expect(try sampler.sample(from: logits) == expected)
    }

    @Test("every logit -inf throws noValidToken; NaN throws invalidLogits")
    func invalidRows() {
        var greedy = GreedySampler()
        var categorical = CategoricalSampler(seed: 1)
        let dead: [Float] = [-.infinity, -.infinity]
        for error in [catchError { try greedy.sample(from: dead) }, catchError { try categorical.sample(from: dead) }] {
            guard case .noValidToken? = error as? GenerationError else {
                Issue.record("expected noValidToken, got \(String(describing: error))")
                continue
            }
        }
        guard case .invalidLogits? = catchError({ try categorical.sample(from: [0, .nan]) }) as? GenerationError else {
            Issue.record("expected invalidLogits for NaN")
            return
        }
    }

    /// Draws `count` samples and checks each token's frequency against `probabilities` with a
    /// 5-sigma binomial bound: |k - n p| <= 5 sqrt(n p (1 - p)). For a correct sampler each
    /// token fails with probability ~6e-7, so a failure means the distribution is wrong.
    /// Tokens with p = 0 must never appear.
    private func expectFrequencies(
        logits: [Float], probabilities: [Double], seed: UInt64, count: Int = 20_000,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var sampler = CategoricalSampler(seed: seed)
        var counts = Array(repeating: 0, count: logits.count)
        for _ in 0..<count { counts[try sampler.sample(from: logits)] += 1 }
        let n = Double(count)
        for (token, p) in probabilities.enumerated() {
            if p == 0 {
                #expect(counts[token] == 0, "token \(token) has probability 0", sourceLocation: sourceLocation)
                continue
            }
            let sigma = (n * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[token]) - n * p) <= 5 * sigma,
                    "token \(token): \(counts[token]) draws, expected \(n * p) +- \(5 * sigma)", sourceLocation: sourceLocation)
        }
    }

    @Test("categorical frequencies match the softmax (20,000 draws, 5 sigma)", arguments: [UInt64(1), 2, 3])
    func categoricalFrequencies(seed: UInt64) throws {
        let logits: [Float] = [1, 2, 0.5, -.infinity, 3, -1]
        let reference = referenceLogSoftmax(logits.map { $0 == -.infinity ? -1000 : $0 }).map(exp)
        let probabilities = logits.indices.map { logits[$0] == -.infinity ? 0 : reference[$0] }
        try expectFrequencies(logits: logits, probabilities: probabilities, seed: seed)
    }

    @Test("categorical sampling is stable for huge logits")
    func categoricalHugeLogits() throws {
        // Differences matter, not magnitudes: softmax([1000, 1000 + ln 3, -inf]) = [0.25, 0.75, 0].
        let logits: [Float] = [1000, 1000 + Float(log(3.0)), -.infinity]
        try expectFrequencies(logits: logits, probabilities: [0.25, 0.75, 0], seed: 11)
    }

    @Test("temperature then categorical sampling matches softmax(l / t)", arguments: [Float(0.5), 2])
    func temperatureDistribution(temperature: Float) throws {
        let raw: [Float] = [0.3, 1.1, -0.4, 0.9]
        var logits = raw
        try TemperatureProcessor(temperature: temperature).process(&logits, context: [])
        let probabilities = referenceLogSoftmax(raw.map { $0 / temperature }).map(exp)
        try expectFrequencies(logits: logits, probabilities: probabilities, seed: 5)
    }

    @Test("same seed gives the same draws, different seeds different draws")
    func seeding() throws {
        let logits: [Float] = [0, 0, 0, 0, 0, 0, 0, 0]
        func draws(_ seed: UInt64) throws -> [Int] {
            var sampler = CategoricalSampler(seed: seed)
            return try (0..<64).map { _ in try sampler.sample(from: logits) }
        }
        #expect(try draws(42) == draws(42))
        // 64 uniform draws over 8 tokens coincide by chance with probability 8^-64.
        #expect(try draws(42) != draws(43))
    }
}
