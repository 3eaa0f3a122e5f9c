import Autograd
import Foundation
import Tensors
import Testing
import Training

/// AdamW against values computed by hand from the update rule.
struct AdamWTests {
    /// A rank-2 weight (decays) and a rank-1 bias (does not) with known gradients.
    func makeParameters() throws -> (ParameterSet, Variable, Variable) {
        let weight = Variable(Tensor(shape: [2, 2], values: [1, -1, 0.5, 2]), requiresGradient: true, name: "w")
        let bias = Variable(Tensor(shape: [3], values: [1, 2, 3]), requiresGradient: true, name: "b")
        return (try ParameterSet([weight, bias]), weight, bias)
    }

    @Test func firstStepMatchesHandComputedValues() throws {
        let (parameters, weight, bias) = try makeParameters()
        weight.grad = Tensor(shape: [2, 2], values: [0.5, -2, 0, 4])
        bias.grad = Tensor(shape: [3], values: [1, -1, 0])
        let optimizer = AdamW(parameters: parameters,
                              hyperparameters: .init(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1))
        optimizer.step(learningRate: 0.1)
        // Step 1: m = 0.1 g, v = 0.001 g^2; m/(1-0.9) = g, v/(1-0.999) = g^2, so the step is
        // lr g / (|g| + eps) = ±0.1 (0 where g = 0). The weight first decays by 1 - 0.1*0.1.
        // w[0] = 1*0.99 - 0.1 = 0.89; w[1] = -0.99 + 0.1 = -0.89; w[2] = 0.495; w[3] = 1.98 - 0.1.
        expectClose(weight.value.scalars, [0.89, -0.89, 0.495, 1.88], rtol: 0, atol: 1e-6)
        expectClose(bias.value.scalars, [0.9, 2.1, 3], rtol: 0, atol: 1e-6)
        #expect(optimizer.stepCount == 1)
        expectClose(optimizer.firstMoments[0].scalars, [0.05, -0.2, 0, 0.4])
        expectClose(optimizer.secondMoments[0].scalars, [0.00025, 0.004, 0, 0.016])
    }

    @Test func secondStepMatchesTheFormula() throws {
        let (parameters, weight, _) = try makeParameters()
        let optimizer = AdamW(parameters: parameters,
                              hyperparameters: .init(beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.5))
        let g1: [Double] = [0.5, -2, 0, 4], g2: [Double] = [1, 1, -3, 0.25]
        var p: [Double] = [1, -1, 0.5, 2], m = [Double](repeating: 0, count: 4), v = m
        let lr1 = 0.05, lr2 = 0.02
        for (t, (g, lr)) in [(g1, lr1), (g2, lr2)].enumerated() {
            weight.grad = Tensor(shape: [2, 2], values: g.map { Float($0) })
            optimizer.step(learningRate: Float(lr))
            let step = Double(t + 1)
            for i in 0..<4 {
                p[i] *= 1 - lr * 0.5
                m[i] = 0.8 * m[i] + 0.2 * g[i]
                v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.8, step)), vHat = v[i] / (1 - pow(0.9, step))
                p[i] -= lr * mHat / (vHat.squareRoot() + 1e-3)
            }
        }
        expectClose(weight.value.scalars, p.map { Float($0) }, rtol: 1e-6, atol: 1e-6)
    }

    @Test func parametersWithoutGradientsAreUntouched() throws {
        let (parameters, weight, bias) = try makeParameters()
        weight.grad = Tensor.ones([2, 2])
        let optimizer = AdamW(parameters: parameters)
        optimizer.step(learningRate: 0.1)
        #expect(bias.value.scalars == [1, 2, 3])
        #expect(optimizer.decays == [true, false])
    }

    @Test func longTensorsUseTheSameArithmeticInEveryLane() throws {
        // 19 elements: two SIMD blocks and a scalar tail; all elements see identical inputs,
        // so all must come out bit-identical.
        let x = Variable(Tensor(shape: [19], repeating: 0.3), requiresGradient: true, name: "x")
        x.grad = Tensor(shape: [19], repeating: -0.7)
        let optimizer = AdamW(parameters: try ParameterSet([x]), decayRule: { _, _ in true })
        for _ in 0..<3 { optimizer.step(learningRate: 0.01) }
        #expect(Set(x.value.scalars).count == 1)
    }

    @Test func stateRoundTripsThroughSafeTensors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (parameters, weight, bias) = try makeParameters()
        weight.grad = Tensor(shape: [2, 2], values: [0.5, -2, 0, 4])
        bias.grad = Tensor(shape: [3], values: [1, -1, 0])
        let optimizer = AdamW(parameters: parameters)
        optimizer.step(learningRate: 0.1)
        optimizer.step(learningRate: 0.1)
        let path = directory.appendingPathComponent("optimizer.safetensors").path
        try optimizer.saveState(to: path)

        let restored = AdamW(parameters: parameters)
        try restored.loadState(from: path)
        #expect(restored.stepCount == 2)
        #expect(restored.firstMoments.map(\.scalars) == optimizer.firstMoments.map(\.scalars))
        #expect(restored.secondMoments.map(\.scalars) == optimizer.secondMoments.map(\.scalars))
    }

    @Test func loadingStateOfAnotherModelNamesTheTensor() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (parameters, _, _) = try makeParameters()
        let path = directory.appendingPathComponent("optimizer.safetensors").path
        try AdamW(parameters: parameters).saveState(to: path)
        let other = try ParameterSet([
            Variable(Tensor.zeros([2, 2]), requiresGradient: true, name: "w"),
            Variable(Tensor.zeros([4]), requiresGradient: true, name: "b"),
        ])
        #expect(throws: TrainingError.tensorMismatch(path: path, tensor: "b.exp_avg",
                                                     detail: "has shape [3] in the file but [4] in the model")) {
            try AdamW(parameters: other).loadState(from: path)
        }
    }
}
