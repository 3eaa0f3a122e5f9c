import Autograd
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// Structured feed-forward maps compute their dense equivalents, train, and blend with the
/// dense guide exactly as self-guided training says.
struct StructuredLinearTests {
    static func layer(_ structure: StructuredLinear.Structure, selfGuided: Bool = false) throws -> StructuredLinear {
        var generator = SeededGenerator(seed: 4)
        return try StructuredLinear(inputSize: 8, outputSize: 12, structure: structure, bias: true, selfGuided: selfGuided,
                                    standardDeviation: 0.3, generator: &generator)
    }

    /// The dense `[out, in]` matrix a structured layer applies (columns = images of unit vectors).
    static func denseEquivalent(_ layer: StructuredLinear) throws -> [Float] {
        let identity = Tensor(shape: [8, 8], values: (0..<64).map { $0 / 8 == $0 % 8 ? 1 : 0 })
        let zero = try Tape.withoutGradient { try layer(Variable(Tensor.zeros([1, 8]))).value }
        let images = try Tape.withoutGradient { try layer(Variable(identity)).value } - zero  // [in, out]
        return try images.transposed(0, 1).contiguous().scalars
    }

    @Test func blockDiagonalHasZerosOffTheBlocks() throws {
        let dense = try Self.denseEquivalent(Self.layer(.blockDiagonal(blocks: 4)))
        for o in 0..<12 { for i in 0..<8 where o / 3 != i / 2 { #expect(dense[o * 8 + i] == 0) } }
        #expect(try Self.layer(.blockDiagonal(blocks: 4)).structuredParameterCount == 4 * 3 * 2 + 12)
        #expect(throws: ModelError.self) { try Self.layer(.blockDiagonal(blocks: 3)) }
    }

    @Test func lowRankHasTheRank() throws {
        let layer = try Self.layer(.lowRank(rank: 2))
        #expect(layer.structuredParameterCount == 2 * 8 + 12 * 2 + 12)
        // A rank-2 [12, 8] matrix: every 3x3 minor vanishes.
        let m = try Self.denseEquivalent(layer).map(Double.init)
        func at(_ r: Int, _ c: Int) -> Double { m[r * 8 + c] }
        let minor = at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1)) - at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0))
            + at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0))
        #expect(abs(minor) < 1e-5)
    }

    @Test(arguments: [StructuredLinear.Structure.lowRank(rank: 3), .blockDiagonal(blocks: 2)])
    func gradientsMatchFiniteDifferences(structure: StructuredLinear.Structure) throws {
        let layer = try Self.layer(structure)
        let x = Variable(randomTensor([2, 3, 8], seed: 5), requiresGradient: true)
        let report = try GradientCheck.run(inputs: [x] + layer.parameters) { _ in try layer(x) }
        #expect(report.passed, "\(report)")
    }

    @Test func guidanceBlendsDenseAndStructuredPaths() throws {
        let layer = try Self.layer(.lowRank(rank: 2), selfGuided: true)
        let x = Variable(randomTensor([3, 8], seed: 6))
        let guide = try Tape.withoutGradient { try layer.guide!(x).value }
        #expect(try Tape.withoutGradient { try layer(x).value.scalars } == guide.scalars)   // guidance starts at 1
        layer.guidance = 0.25
        let blended = try Tape.withoutGradient { try layer(x).value }
        layer.dropGuide()
        let structured = try Tape.withoutGradient { try layer(x).value }
        expectClose(blended, try guide * 0.25 + structured * 0.75, rtol: 1e-5, atol: 1e-6)
    }

    @Test func structuredModelIsSmallerAndTrains() throws {
        var c = DecoderTransformerTests.tinyConfiguration(.llama, keyValueHeads: 2)
        c.intermediateSize = 32
        var generator = SeededGenerator(seed: 1)
        let dense = try DecoderTransformer(configuration: c, generator: &generator)
        c.feedForwardStructure = .lowRank(rank: 4)
        let model = try DecoderTransformer(configuration: c, generator: &generator)
        #expect(model.parameterCount < dense.parameterCount)
        let tokens = [[1, 5, 9, 13, 17, 21, 25, 29]], targets = [5, 9, 13, 17, 21, 25, 29, 33]
        var losses: [Float] = []
        for _ in 0..<30 {
            let loss = try model.logits(tokens: tokens).reshaped([-1, 50]).crossEntropy(targets: targets)
            model.zeroGradients()
            try loss.backward()
            for p in model.parameters { if let g = p.grad { try p.value.addInPlace(g, scale: -0.3) } }
            losses.append(loss.value.scalar)
        }
        #expect(losses.last! < losses.first! * 0.5)
    }
}
