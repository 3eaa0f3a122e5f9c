import Autograd
import Foundation
import Tensors
import Testing
import Training
@_exported import TestSupport

/// Expects `actual` and `expected` to agree elementwise within `atol + rtol * |expected|`.
func temporaryDirectory(_ label: String = #function) throws -> URL {
    let safe = label.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("TrainingTests-\(safe)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A 2-layer perceptron, `logits = gelu(x W1 + b1) W2 + b2`, trained with cross-entropy:
/// the smallest model that exercises matmul, broadcasting, an activation and a fused loss.
struct TinyMLP {
    let inputSize: Int, hiddenSize: Int, classCount: Int
    let w1, b1, w2, b2: Variable

    init(inputSize: Int = 4, hiddenSize: Int = 16, classCount: Int = 3, seed: UInt64) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.classCount = classCount
        var generator = SeededGenerator(seed: seed)
        w1 = Variable(Tensor.kaimingUniform([inputSize, hiddenSize], fanIn: inputSize, using: &generator),
                      requiresGradient: true, name: "fc1.weight")
        b1 = Variable(Tensor.zeros([hiddenSize]), requiresGradient: true, name: "fc1.bias")
        w2 = Variable(Tensor.kaimingUniform([hiddenSize, classCount], fanIn: hiddenSize, using: &generator),
                      requiresGradient: true, name: "fc2.weight")
        b2 = Variable(Tensor.zeros([classCount]), requiresGradient: true, name: "fc2.bias")
    }

    func parameters() throws -> ParameterSet { try ParameterSet([w1, b1, w2, b2]) }

    /// Mean cross-entropy of the rows `indices` of `data`.
    func loss(_ data: ToyData, rows indices: [Int]) throws -> Variable {
        var values: [Float] = []
        values.reserveCapacity(indices.count * inputSize)
        for row in indices { values += data.inputs[(row * inputSize)..<((row + 1) * inputSize)] }
        let x = Variable(Tensor(shape: [indices.count, inputSize], values: values))  // [N, D]
        let hidden = (try x.matmul(w1) + b1).gelu()                                  // [N, H]
        let logits = try hidden.matmul(w2) + b2                                       // [N, V]
        return try logits.crossEntropy(targets: indices.map { data.targets[$0] })
    }
}

/// Random inputs labelled by a fixed random linear teacher (learnable, not trivially).
struct ToyData {
    let inputs: [Float]
    let targets: [Int]
    let count: Int

    init(count: Int = 64, inputSize: Int = 4, classCount: Int = 3, seed: UInt64 = 99) {
        var generator = SeededGenerator(seed: seed)
        let teacher = (0..<(inputSize * classCount)).map { _ in generator.nextNormal() }
        var inputs: [Float] = [], targets: [Int] = []
        for _ in 0..<count {
            let x = (0..<inputSize).map { _ in generator.nextNormal() }
            inputs += x
            let scores = (0..<classCount).map { c in (0..<inputSize).reduce(Float(0)) { $0 + x[$1] * teacher[$1 * classCount + c] } }
            targets.append(scores.indices.max { scores[$0] < scores[$1] }!)
        }
        self.inputs = inputs
        self.targets = targets
        self.count = count
    }

    /// `size` row indices drawn with `generator`.
    func batch(size: Int, using generator: inout SeededGenerator) -> [Int] {
        (0..<size).map { _ in Int(generator.next() % UInt64(count)) }
    }
}

/// A configuration for fast tests: no output unless asked, no checkpoints.
func testConfiguration(steps: Int, learningRate: Float = 1e-2, outputDirectory: URL? = nil) -> TrainingConfiguration {
    var configuration = TrainingConfiguration()
    configuration.steps = steps
    configuration.learningRate = learningRate
    configuration.minimumLearningRate = learningRate / 10
    configuration.warmupSteps = 2
    configuration.weightDecay = 0.01
    configuration.logInterval = 0
    configuration.validationInterval = 4
    configuration.checkpointInterval = outputDirectory == nil ? 0 : 4
    configuration.outputDirectory = outputDirectory?.path ?? ""
    configuration.seed = 7
    return configuration
}

/// A trainer step closure sampling batches of `batchSize` from `data`.
func sampledLoss(_ model: TinyMLP, _ data: ToyData, batchSize: Int = 8) -> Trainer.LossFunction {
    { _, _, generator in
        let rows = data.batch(size: batchSize, using: &generator)
        return (loss: try model.loss(data, rows: rows), tokens: batchSize)
    }
}
