import Foundation
import NeuralNetworks
import Testing

/// A configuration too large to build is refused by `validate()` with the field at fault,
/// before any weight is allocated (instead of trapping on a multi-terabyte allocation or
/// overflowing `Int` while computing sizes).
struct ConfigurationSizeTests {
    func invalidField(_ edit: (inout DecoderConfiguration) -> Void) -> String? {
        var configuration = DecoderConfiguration()
        edit(&configuration)
        do {
            try configuration.validate()
            return nil
        } catch ModelError.invalidConfiguration(let field, _) {
            return field
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func absurdDimensionsAndModelsLargerThanMemoryAreRefused() {
        #expect(invalidField { _ in } == nil)
        #expect(invalidField { $0.hiddenSize = 1_000_000_000 } == "hiddenSize")
        #expect(invalidField { $0.hiddenSize = Int.max / 2 } == "hiddenSize")  // 4 * hiddenSize would overflow
        #expect(invalidField { $0.layerCount = 1_000_000 } == "layerCount")
        #expect(invalidField { $0.vocabularySize = 1 << 40 } == "vocabularySize")
        #expect(invalidField { $0.intermediateSize = 1 << 30 } == "intermediateSize")
        // Every dimension within its bound, the whole far beyond any machine's memory.
        #expect(invalidField { $0.hiddenSize = 1 << 16; $0.headCount = 64; $0.layerCount = 4096 } == "size")
    }

    @Test func realModelSizesPass() throws {
        var gpt2 = DecoderConfiguration()
        (gpt2.vocabularySize, gpt2.contextLength, gpt2.hiddenSize, gpt2.layerCount, gpt2.headCount) = (50257, 1024, 768, 12, 12)
        try gpt2.validate()
        #expect(abs(gpt2.estimatedParameterCount / 124e6 - 1) < 0.05)  // GPT-2 small: 124M
    }
}
