import Autograd
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// Set-based prompting: the output cannot depend on the order of the set's members.
struct SetPromptTests {
    static let prompt = SetPrompt(prefix: [3, 7], members: [[11, 12, 13], [20], [31, 32], [40, 41]], suffix: [5, 6])

    static func permutations(_ items: [[Int]]) -> [[[Int]]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[[Int]]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }

    @Test func layoutSharesPositionsAndHidesMembersFromEachOther() throws {
        let (tokens, positions, mask) = try SetPrompt(prefix: [1], members: [[2, 3], [4]], suffix: [5]).layout(canonical: false)
        #expect(tokens == [1, 2, 3, 4, 5])
        #expect(positions == [0, 1, 2, 1, 3])
        let m = mask.scalars
        func visible(_ q: Int, _ k: Int) -> Bool { m[q * 5 + k] == 0 }
        #expect(visible(3, 0) && !visible(3, 1) && !visible(3, 2) && visible(3, 3))  // member 2 sees prefix and itself
        #expect(visible(2, 1) && !visible(1, 2))                                       // causal inside a member
        #expect((0...4).allSatisfy { visible(4, $0) })                                  // suffix sees everything
    }

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama])
    func outputIsBitIdenticalUnderEveryPermutation(flavor: DecoderConfiguration.Flavor) throws {
        let model = try DecoderTransformerTests.tinyModel(flavor, keyValueHeads: flavor == .llama ? 2 : nil)
        let orders = Self.permutations(Self.prompt.members)
        #expect(orders.count == 24)
        var reference: [Float]?
        var referenceContinuation: [Float]?
        for members in orders {
            var prompt = Self.prompt
            prompt.members = members
            let (logits, cache) = try model.prefill(prompt)
            // One more decoding step through the cache must also match bit for bit.
            let next = try model.logits(fromHidden: model.hiddenStates(.tokens([[9]]), caches: [cache])).value.scalars
            if let reference, let referenceContinuation {
                #expect(logits == reference)
                #expect(next == referenceContinuation)
            } else {
                reference = logits
                referenceContinuation = next
            }
        }
    }

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama])
    func maskAndPositionsAloneMakeOrderIrrelevant(flavor: DecoderConfiguration.Flavor) throws {
        // Without sorting, only the mask and position ids remove the order dependence: equal up
        // to float rounding. A plain concatenation (the control) does depend on the order.
        let model = try DecoderTransformerTests.tinyModel(flavor, keyValueHeads: flavor == .llama ? 2 : nil)
        let base = try model.prefill(Self.prompt, canonical: false).logits
        var plainDifference: Float = 0
        let plainBase = try Tape.withoutGradient { try model.logits(tokens: [Self.prompt.prefix + Self.prompt.members.joined() + Self.prompt.suffix]) }.value.scalars.suffix(50)
        for members in Self.permutations(Self.prompt.members).dropFirst() {
            var prompt = Self.prompt
            prompt.members = members
            expectClose(try model.prefill(prompt, canonical: false).logits, base, rtol: 1e-5, atol: 2e-6)
            let plain = try Tape.withoutGradient { try model.logits(tokens: [prompt.prefix + members.joined() + prompt.suffix]) }.value.scalars.suffix(50)
            plainDifference = max(plainDifference, zip(plain, plainBase).map { abs($0 - $1) }.max()!)
        }
        #expect(plainDifference > 1e-3, "the control should depend on the order")
    }
}
