import Autograd
import NeuralNetworks
import Tensors
import Training

/// One training step as PyTorch's benchmark takes it: forward, cross-entropy over all
/// positions, backward, AdamW (lr 3e-4, betas 0.9/0.95, weight decay 0.1 on matrices).
struct BenchmarkTrainer {
    let model: DecoderTransformer
    let optimizer: AdamW

    init(model: DecoderTransformer) throws {
        self.model = model
        let parameters = try ParameterSet(model.parameters)
        optimizer = AdamW(parameters: parameters, hyperparameters: .init(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1))
    }

    func step(_ inputs: [[Int]], _ targets: [Int]) throws -> Float {
        let hidden = try model.hiddenStates(.tokens(inputs))
        let logits = try model.logits(fromHidden: hidden)
        let loss = try logits.reshaped([-1, model.configuration.vocabularySize]).crossEntropy(targets: targets)
        model.zeroGradients()
        try loss.backward()
        optimizer.step(learningRate: 3e-4)
        return loss.value.scalar
    }
}
