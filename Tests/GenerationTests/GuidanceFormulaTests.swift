import Foundation
import Generation
import Testing

/// The pieces image decoding shares with the language-model generators: the guidance formula
/// and draws that also report their log-probability.
@Suite("Guidance formula and log-probability draws")
struct GuidanceFormulaTests {
    @Test("u + s (c - u), elementwise; 1 keeps c, 0 gives u")
    func formula() {
        let conditional: [Float] = [2, 0, -1], unconditional: [Float] = [1, 0, 1]
        #expect(ClassifierFreeGuidance.logits(conditional: conditional, unconditional: unconditional, scale: 3) == [4, 0, -5])
        #expect(ClassifierFreeGuidance.logits(conditional: conditional, unconditional: unconditional, scale: 1) == conditional)
        #expect(ClassifierFreeGuidance.logits(conditional: conditional, unconditional: unconditional[...], scale: 0) == unconditional)
    }

    @Test("a log-probability draw picks the same token as sample(from:) and reports log softmax")
    func logProbabilityDraws() throws {
        let logits: [Float] = [0.5, 2, -.infinity, 1]
        let total = logits.map { exp(Double($0)) }.reduce(0, +)
        var plain = CategoricalSampler(seed: 3), reporting = CategoricalSampler(seed: 3)
        for _ in 0..<200 {
            let token = try plain.sample(from: logits)
            let drawn = try reporting.sampleWithLogProbability(from: logits)
            #expect(drawn.token == token)
            #expect(abs(Double(drawn.logProbability) - log(exp(Double(logits[token])) / total)) < 1e-6)
        }
        #expect(plain.generator.next() == reporting.generator.next())
    }
}
