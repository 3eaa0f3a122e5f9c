import ArgumentParser
import Autograd
import Foundation
import Generation
import NeuralNetworks
import Tensors
import Tokenizers
import Training

/// `bench structured`: dense vs structured feed-forward blocks (Wei et al. 2024) trained on
/// the same characters for the same number of training FLOPs: each model's steps are scaled
/// by its matmul FLOPs per token (the dense guide counted while it runs), which unlike time
/// does not depend on what else the machine is doing.
struct StructuredBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "structured", abstract: "Structured FFNs at equal training compute.")
    @Option(help: "Training text (its last 10% is held out).") var text: String
    @Option(help: "Training steps of the dense model; the others get the same FLOPs.") var denseSteps = 200
    @Option(help: "Share of the steps over which self-guided training anneals the dense guide.") var guidedShare: Float = 0.3
    @Option(help: "Seed offset for initialisation and batch order (run several to see the spread).") var seed: UInt64 = 0
    @Flag(help: "JSON on stdout.") var json = false

    struct Row: Codable {
        let model: String, parameters: Int, steps: Int, trainTokensPerSecond: Double, decodeTokensPerSecond: Double, validationLoss: Double
    }

    func run() throws {
        let all = try String(contentsOfFile: text, encoding: .utf8)
        let tokenizer = try CharacterTokenizer(corpus: [all])
        let ids = tokenizer.encode(all)
        let split = ids.count * 9 / 10
        let (train, validation) = (Array(ids[..<split]), Array(ids[split...]))
        var base = DecoderConfiguration()
        (base.vocabularySize, base.contextLength, base.hiddenSize, base.layerCount, base.headCount, base.intermediateSize) =
            (tokenizer.vocabularySize, 128, 128, 4, 4, 512)
        let (batch, context) = (8, 128)
        let c = Double(base.hiddenSize), f = Double(512), layers = Double(base.layerCount)
        let shared = layers * 4 * c * c + Double(base.vocabularySize) * c + layers * 2 * Double(context) * c
        let denseFFN = layers * 2 * c * f
        let variants: [(String, StructuredLinear.Structure?, Bool, Double)] = [
            ("dense", nil, false, denseFFN),
            ("low rank 32", .lowRank(rank: 32), false, layers * 2 * 32 * (c + f)),
            ("low rank 32, self-guided", .lowRank(rank: 32), true, layers * 2 * 32 * (c + f)),
            ("block diagonal 4", .blockDiagonal(blocks: 4), false, denseFFN / 4),
            ("block diagonal 4, self-guided", .blockDiagonal(blocks: 4), true, denseFFN / 4),
        ]
        let budget = Double(denseSteps) * (shared + denseFFN)
        var rows: [Row] = []
        for (name, structure, guided, ffn) in variants {
            var configuration = base
            configuration.feedForwardStructure = structure
            configuration.selfGuidedTraining = guided
            var generator = SeededGenerator(seed: 7 &+ seed)
            let model = try DecoderTransformer(configuration: configuration, generator: &generator)
            // Steps for equal FLOPs; the guide runs (dense cost) during the guided share.
            let guidedCost = guided ? Double(guidedShare) * denseFFN : 0
            let steps = Int(budget / (shared + ffn + guidedCost))
            let optimizer = AdamW(parameters: try ParameterSet(model.parameters), hyperparameters: .init(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1))
            var rng = SeededGenerator(seed: 11 &+ seed)
            let start = Measurement.now()
            for step in 0..<steps {
                if guided {
                    let g = max(0, 1 - Float(step) / (guidedShare * Float(steps)))
                    if g == 0 { model.dropFeedForwardGuides() } else { model.setFeedForwardGuidance(g) }
                }
                let offsets = (0..<batch).map { _ in Int(rng.next() % UInt64(train.count - context - 1)) }
                let inputs = offsets.map { Array(train[$0..<($0 + context)]) }
                let targets = offsets.flatMap { Array(train[($0 + 1)...($0 + context)]) }
                let loss = try model.logits(tokens: inputs).reshaped([-1, configuration.vocabularySize]).crossEntropy(targets: targets)
                model.zeroGradients()
                try loss.backward()
                optimizer.step(learningRate: 2e-3 * min(1, Float(step + 1) / 20))
            }
            let trainRate = Double(steps * batch * context) / (Measurement.now() - start)
            model.dropFeedForwardGuides()
            var total = 0.0, count = 0
            for window in stride(from: 0, to: min(validation.count - context - 1, 40 * context), by: context) {
                let loss = try Tape.withoutGradient {
                    try model.logits(tokens: [Array(validation[window..<(window + context)])]).reshaped([context, -1])
                        .crossEntropy(targets: Array(validation[(window + 1)...(window + context)]))
                }
                total += Double(loss.value.scalar)
                count += 1
            }
            var settings = GenerationSettings()
            settings.mode = .greedy
            settings.maxNewTokens = 100
            let decodeStart = Measurement.now()
            _ = try TokenGenerator(model: model).generate(prompt: Array(validation.prefix(16)), settings: settings)
            let decodeRate = 100 / (Measurement.now() - decodeStart)
            let row = Row(model: name, parameters: model.parameterCount, steps: steps, trainTokensPerSecond: trainRate,
                          decodeTokensPerSecond: decodeRate, validationLoss: total / Double(count))
            rows.append(row)
            report(String(format: "%-30@ %8d params  %4d steps  train %6.0f tok/s  decode %6.0f tok/s  validation %.4f",
                          name as NSString, row.parameters, steps, trainRate, decodeRate, row.validationLoss))
        }
        if json { try Measurement.printJSON(rows) }
    }
}
