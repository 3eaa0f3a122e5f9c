import ArgumentParser
import Foundation
import ImageGeneration
import Tensors

/// `images train`: a class-conditional AR or MLM generator over a tokenizer's tokens.
struct ImagesTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a class-conditional generator (ar or mlm) over image tokens.")
    @OptionGroup var data: DataOptions
    @OptionGroup var training: TrainingOptions
    @Option(help: "Tokenizer file.") var tokenizer = "assets/images/tokenizer.safetensors"
    @Option(help: "ar (raster order, causal) or mlm (masked, MaskGIT decoding).") var kind: GeneratorConfiguration.Kind = .autoregressive
    @Option(help: "Transformer width.") var hiddenSize = 128
    @Option(help: "Transformer blocks.") var layers = 4
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Class dropout probability for classifier-free guidance.") var classDropout: Float = 0.1
    @Option(help: "Continue from this generator file (its shape and kind replace --kind, --hidden-size, --layers, --heads, --class-dropout).")
    var initialize: String?
    @Option(help: "Store weights as float16.") var halfPrecision = true
    @Option(name: .shortAndLong, help: "Output file.") var output = "runs/images/generator.safetensors"

    func run() throws {
        let tokenizerModel = try ImageTokenizer.load(from: URL(fileURLWithPath: tokenizer))
        let train = try data.load(.train), test = try data.load(.test)
        log("tokenizing \(train.count) training images ...")
        func tokens(_ dataset: ImageDataset) throws -> [[Int]] {
            try stride(from: 0, to: dataset.count, by: 500).flatMap { start in
                try tokenizerModel.encode(dataset.batch(Array(start..<Swift.min(dataset.count, start + 500))))
            }
        }
        let trainTokens = try tokens(train), testTokens = try tokens(test.prefix(512))
        var c = GeneratorConfiguration(kind: kind, tokenizer: tokenizerModel.configuration, classCount: train.classNames.count,
                                       hiddenSize: hiddenSize, layerCount: layers, headCount: heads)
        c.classDropout = classDropout
        var generator = SeededGenerator(seed: training.seed)
        let model: ImageTokenModel
        if let initialize {
            model = try ImageTokenModel.load(from: URL(fileURLWithPath: initialize))
            _ = try ImageGenerator(tokenizer: tokenizerModel, model: model)   // throws when the shapes disagree
            log("continuing \(initialize): \(model.configuration.kind.rawValue) generator, \(model.parameterCount) parameters")
        } else {
            model = try ImageTokenModel(configuration: c, generator: &generator)
            log("\(kind.rawValue) generator: \(model.parameterCount) parameters")
        }
        try model.train(tokens: trainTokens, labels: train.labels, batchSize: training.batchSize, training: training.configuration(output: output),
                        validation: (testTokens, Array(test.labels[0..<testTokens.count])), resume: training.resume)
        try model.save(to: URL(fileURLWithPath: output), halfPrecision: halfPrecision)
        log("wrote \(output)")
    }
}
