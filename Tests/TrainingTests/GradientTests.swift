import Autograd
import Tensors
import Testing
import Training

/// Global-norm clipping, non-finite norms, accumulation and zeroing.
struct GradientTests {
    func pair() throws -> (ParameterSet, Variable, Variable) {
        let a = Variable(Tensor.zeros([2]), requiresGradient: true, name: "a")
        let b = Variable(Tensor.zeros([1, 1]), requiresGradient: true, name: "b")
        return (try ParameterSet([a, b]), a, b)
    }

    @Test func globalNormCoversAllParameters() throws {
        let (parameters, a, b) = try pair()
        a.grad = Tensor(shape: [2], values: [3, 4])
        #expect(parameters.gradientNorm() == 5)  // b has no gradient: counts as zero
        b.grad = Tensor(shape: [1, 1], values: [12])
        #expect(parameters.gradientNorm() == 13)
    }

    @Test func clippingScalesToTheLimitAndReturnsTheNormBefore() throws {
        let (parameters, a, b) = try pair()
        a.grad = Tensor(shape: [2], values: [3, 4])
        b.grad = Tensor(shape: [1, 1], values: [12])
        let norm = parameters.clipGradients(maxNorm: 1.3)
        #expect(norm == 13)
        expectClose(a.grad!.scalars, [0.3, 0.4], rtol: 1e-5)
        expectClose(b.grad!.scalars, [1.2], rtol: 1e-5)
        expectClose([parameters.gradientNorm()], [1.3], rtol: 1e-5)
    }

    @Test func normsBelowTheLimitAreLeftAlone() throws {
        let (parameters, a, _) = try pair()
        a.grad = Tensor(shape: [2], values: [3, 4])
        #expect(parameters.clipGradients(maxNorm: 10) == 5)
        #expect(a.grad!.scalars == [3, 4])
        #expect(parameters.clipGradients(maxNorm: 0) == 5)  // 0 disables clipping
        #expect(a.grad!.scalars == [3, 4])
    }

    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteNormIsReportedAndGradientsKept(bad: Float) throws {
        let (parameters, a, b) = try pair()
        a.grad = Tensor(shape: [2], values: [3, bad])
        b.grad = Tensor(shape: [1, 1], values: [1])
        let norm = parameters.clipGradients(maxNorm: 1)
        #expect(!norm.isFinite)
        #expect(b.grad!.scalars == [1])
    }

    @Test func longGradientsSumInEveryLane() throws {
        let x = Variable(Tensor.zeros([37]), requiresGradient: true, name: "x")
        x.grad = Tensor(shape: [37], repeating: 2)
        #expect(try ParameterSet([x]).gradientNorm() == (4 * 37 as Float).squareRoot())
    }

    @Test func accumulationAveragesToTheFullBatchGradient() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 3)
        let parameters = try model.parameters()
        let rows = Array(0..<16)

        parameters.zeroGradients()
        let full = try model.loss(data, rows: rows)
        try full.backward()
        let fullGradients = parameters.map { $0.grad!.scalars }

        parameters.zeroGradients()
        let result = try GradientAccumulation.run(parameters: parameters, microBatches: 4) { microBatch in
            let part = Array(rows[(microBatch * 4)..<((microBatch + 1) * 4)])
            return (loss: try model.loss(data, rows: part), tokens: part.count)
        }
        #expect(result.tokens == 16)
        expectClose([result.loss], [full.value.scalar], rtol: 1e-5)
        for (variable, expected) in zip(parameters, fullGradients) {
            expectClose(variable.grad!.scalars, expected, rtol: 1e-4, atol: 1e-6)
        }
        parameters.zeroGradients()
        #expect(parameters.allSatisfy { $0.grad == nil })
    }

    @Test func nonFiniteMicroBatchLossThrowsDivergence() throws {
        let (parameters, a, _) = try pair()
        #expect {
            _ = try GradientAccumulation.run(parameters: parameters, microBatches: 2, step: 5) { microBatch in
                let loss = (a.sum() * (microBatch == 0 ? 1 : Float.nan))
                return (loss: loss, tokens: 1)
            }
        } throws: { error in
            guard case let .diverged(step, quantity, value, _, _, advice) = error as? TrainingError else { return false }
            return step == 5 && quantity == .loss && value.isNaN && advice.contains("learning rate")
        }
    }
}
