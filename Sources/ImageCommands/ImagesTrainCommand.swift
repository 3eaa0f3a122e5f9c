import ArgumentParser
import Commands
import Foundation
import ImageGeneration
import Tensors
import Training

/// `images train`: a class-conditional AR or MLM generator over a tokenizer's tokens.
struct ImagesTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a class-conditional generator (ar or mlm) over image tokens.")
    @OptionGroup var data: DataOptions
    @OptionGroup var training: TrainingOptions
    @Option(help: "Tokenizer file (default: the shipped one).") var tokenizer: String?
    @Option(help: "ar (raster order, causal) or mlm (masked, MaskGIT decoding).") var kind: GeneratorConfiguration.Kind = .autoregressive
    @Option(help: "Transformer width.") var hiddenSize = 128
    @Option(help: "Transformer blocks.") var layers = 4
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Class dropout probability for classifier-free guidance.") var classDropout: Float = 0.1
    @Option(name: .customLong("init-from"),
            help: "Continue from this generator file (its shape and kind replace --kind, --hidden-size, --layers, --heads, --class-dropout).")
    var initialize: String?
    @Option(help: "Store weights as float16.") var halfPrecision = true
    @Option(name: .shortAndLong, help: "Output file.") var output = "runs/images/generator.safetensors"
    @OptionGroup var plot: PlotOption
    /// The older spelling `--initialize` (see ``OptionAlias``).
    @Option(name: .customLong("initialize"), help: .hidden) var initializeAlias: String?

    mutating func validate() throws {
        try OptionAlias.merge(&self, \.initialize, alias: \.initializeAlias, current: "--init-from", old: "--initialize")
    }

    func run() throws {
        let tokenizerModel = try ImageTokenizer.load(from: ShippedModels.imageTokenizer(tokenizer))
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
        let trainingRun = TrainingRun(directory: URL(fileURLWithPath: training.runFolder(output: output), isDirectory: true),
                                      resume: training.resume, note: log)
        let model: ImageTokenModel
        if let recorded = try trainingRun.recorded(GeneratorConfiguration.self, from: TrainingRunFiles.configuration) {
            // The run's shape wins on resume: the checkpoint holds its weights.
            if initialize == nil && recorded != c {
                log("--resume: the generator is built as the run's \(TrainingRunFiles.configuration) says; shape options given now are ignored")
            }
            model = try ImageTokenModel(configuration: recorded, generator: &generator)
        } else if let initialize {
            model = try ImageTokenModel.load(from: URL(fileURLWithPath: initialize))
            _ = try ImageGenerator(tokenizer: tokenizerModel, model: model)   // throws when the shapes disagree
            log("continuing \(initialize): \(model.configuration.kind.rawValue) generator, \(model.parameterCount) parameters")
        } else {
            model = try ImageTokenModel(configuration: c, generator: &generator)
            log("\(kind.rawValue) generator: \(model.parameterCount) parameters")
        }
        let history = try model.train(
            tokens: trainTokens, labels: train.labels, batchSize: training.batchSize, training: training.configuration(output: output),
            validation: (testTokens, Array(test.labels[0..<testTokens.count])), resume: training.resume,
            records: [try .init(TrainingRunFiles.configuration, encoding: model.configuration)])
        try model.save(to: URL(fileURLWithPath: output), halfPrecision: halfPrecision)
        try trainingRun.writeSummary(TrainingRunFiles.Summary(history: history, output: output))
        try plot.write(metrics: trainingRun.metricsURL)
        log("wrote \(output)")
    }
}

/// What the image training commands keep in their run folder besides the checkpoint and
/// `metrics.jsonl` (see `TrainingRun`).
enum TrainingRunFiles {
    /// The model's shape (`GeneratorConfiguration` or `TokenizerConfiguration`), which `--resume` rebuilds.
    static let configuration = "run-configuration.json"

    /// `training-summary.json`.
    struct Summary: Encodable {
        /// Steps completed (including any before a resume).
        var steps: Int
        /// The last step's training loss.
        var loss: Float?
        /// The most recent validation loss.
        var validationLoss: Float?
        /// The model file written.
        var output: String

        init(history: [TrainingRecord], output: String) {
            steps = history.last?.step ?? 0
            loss = history.last?.trainingLoss
            validationLoss = history.last(where: { $0.validationLoss != nil })?.validationLoss
            self.output = output
        }
    }
}
