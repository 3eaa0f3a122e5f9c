import Autograd
import NeuralNetworks
import Tensors

/// One training step as PyTorch's benchmark takes it: forward, cross-entropy over all
/// positions, backward, AdamW (lr 3e-4, betas 0.9/0.95, weight decay 0.1).
struct BenchmarkTrainer {
    let model: DecoderTransformer
    var optimizer: PlaceholderAdamW

    init(model: DecoderTransformer) throws {
        self.model = model
        optimizer = PlaceholderAdamW(parameters: model.parameters)
    }

    mutating func step(_ inputs: [[Int]], _ targets: [Int]) throws -> Float {
        let hidden = try model.hiddenStates(.tokens(inputs))
        let logits = try model.logits(fromHidden: hidden)
        let loss = try logits.reshaped([-1, model.configuration.vocabularySize]).crossEntropy(targets: targets)
        model.zeroGradients()
        try loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}

/// Stand-in until the Training module lands: AdamW in place on each parameter.
struct PlaceholderAdamW {
    let parameters: [Variable]
    var first: [Tensor], second: [Tensor]
    var t = 0
    init(parameters: [Variable]) {
        self.parameters = parameters
        first = parameters.map { Tensor.zeros($0.shape) }
        second = parameters.map { Tensor.zeros($0.shape) }
    }
    mutating func step(lr: Float = 3e-4, b1: Float = 0.9, b2: Float = 0.95, decay: Float = 0.1, eps: Float = 1e-8) {
        t += 1
        let c1 = 1 - Float(Double(b1).power(t)), c2 = 1 - Float(Double(b2).power(t))
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad?.contiguous() else { continue }
            let w = p.value.storage.pointer + p.value.offset, m = first[i].storage.pointer, v = second[i].storage.pointer
            let gp = g.storage.pointer + g.offset
            let wd: Float = p.value.rank >= 2 ? decay : 0
            for j in 0..<p.value.count {
                m[j] = b1 * m[j] + (1 - b1) * gp[j]
                v[j] = b2 * v[j] + (1 - b2) * gp[j] * gp[j]
                w[j] -= lr * ((m[j] / c1) / ((v[j] / c2).squareRoot() + eps) + wd * w[j])
            }
        }
    }
}

extension Double {
    func power(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * self } }
}
