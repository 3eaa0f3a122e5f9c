import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// Hugging Face GPT-2 and LLaMA checkpoints load as they are and reproduce the reference
/// logits (max |difference| <= 1e-4, the tolerance of Tests/Fixtures/README.md) and the
/// greedy continuation token for token.
struct HuggingFaceReferenceTests {
    struct Reference: Decodable {
        struct Case: Decodable { let input_ids: [Int]; let logits: [[Float]] }
        struct Greedy: Decodable { let input_ids: [Int]; let new_tokens: [Int] }
        let cases: [Case]
        let greedy: Greedy
    }

    static let folders = ["gpt2-tiny", "gpt2-tiny-hub-layout", "llama-tiny"]

    static func load(_ folder: String) throws -> (DecoderTransformer, Reference) {
        let directory = try TestFixtures.url("\(folder)")
        let referenceFolder = folder == "gpt2-tiny-hub-layout" ? "gpt2-tiny" : folder
        let data = try Data(contentsOf: try TestFixtures.url("\(referenceFolder)/reference.json"))
        return (try DecoderTransformer.load(from: directory), try JSONDecoder().decode(Reference.self, from: data))
    }

    @Test(arguments: folders)
    func logitsMatchReference(folder: String) throws {
        let (model, reference) = try Self.load(folder)
        for testCase in reference.cases {
            let logits = try Tape.withoutGradient { try model.logits(tokens: [testCase.input_ids]) }
            let expected = testCase.logits.flatMap { $0 }
            let actual = logits.value.scalars
            #expect(actual.count == expected.count)
            let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "\(folder) length \(testCase.input_ids.count): max |logit difference| \(worst)")
        }
    }

    @Test(arguments: folders)
    func greedyContinuationMatchesWithCache(folder: String) throws {
        let (model, reference) = try Self.load(folder)
        let cache = model.makeCache()
        var logits = try model.logits(fromHidden: model.hiddenStates(.tokens([reference.greedy.input_ids]), caches: [cache]))
        var generated: [Int] = []
        for _ in reference.greedy.new_tokens.indices {
            let last = try logits.value.sliced(axis: 1, range: (logits.shape[1] - 1)..<logits.shape[1])
            let next = try last.argmax(axis: -1)[0]
            generated.append(next)
            logits = try model.logits(fromHidden: model.hiddenStates(.tokens([[next]]), caches: [cache]))
        }
        #expect(generated == reference.greedy.new_tokens)
    }

    @Test func gpt2LayoutsLoadTheSameWeights() throws {
        let a = try DecoderTransformer.load(from: TestFixtures.url("gpt2-tiny"))
        let b = try DecoderTransformer.load(from: TestFixtures.url("gpt2-tiny-hub-layout"))
        for ((name, x), (_, y)) in zip(a.namedParameters(), b.namedParameters()) {
            #expect(x.value.scalars == y.value.scalars, "\(name)")
        }
    }
}
