import ArgumentParser
import Commands
import Foundation
import IconSynthesis
import NeuralNetworks
import Training

/// `icons train --data FILE -o DIR`: train (or resume) an icon model.
struct IconsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train an icon model on a dataset (progress on stderr, checkpoints, --resume).",
        discussion: "--resume continues from the run folder's checkpoint with the run's shape, dropout, batch size, bucket pool, keyword subsets and augmentation (a note says when the options given differ).")

    @Option(help: "Dataset file from `icons dataset build`.") var data: String
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Run folder: checkpoint/, model/ (the exported model) and training-summary.json (required).", valueName: "dir"))
    var output: String?
    @Option(help: "Optimisation steps.") var steps = 2000
    @Option(help: "Sequences per step (at most 4096).") var batchSize = 16
    @Option(help: "Peak learning rate.") var learningRate: Float = 1e-3
    @Option(help: "Warm-up steps.") var warmup = 100
    @Option(help: "Transformer blocks.") var layers = 4
    @Option(name: .customLong("hidden-size"), help: "Residual width.") var hidden = 256
    @Option(help: "Attention heads.") var heads = 8
    @Option(help: "Context length in tokens.") var context = 512
    @Option(help: "Length bucketing: batches are taken from a sorted pool of this many batches' worth of random icons, so they carry less padding (1: plain random batches; at most 64).")
    var bucketPool = 8
    @Option(help: "Share of sequences prompted with a random subset of the icon's keywords, so one-word prompts such as \"camera\" learn from every icon named with that word (0: all keywords).")
    var keywordSubsets = 0.5
    @Option(help: "Geometric augmentation strength a: icons are scaled by a random factor in [1-a, 1+a] and moved by up to a*W/2, inside the grid (0: none).")
    var augment = 0.0
    @Option(help: "Start from this icon model folder's weights with a new optimiser and schedule (a fine-tune; its shape replaces --layers/--hidden-size/--heads/--context). Ignored when --resume finds a checkpoint.")
    var initFrom: String?
    @Option(help: "Dropout probability in training steps (embeddings and each sublayer's output; 0: none).")
    var dropout: Float = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1337
    @Flag(help: "Export the model in fp32 instead of fp16.") var fullPrecision = false
    /// `--resume`, `--max-minutes` and `--checkpoint-every` (default 200).
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var format: JSONOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    /// The older spellings `--out` and `--hidden` (see ``OptionAlias``).
    @Option(name: .customLong("out"), help: .hidden) var outAlias: String?
    @Option(name: .customLong("hidden"), help: .hidden) var hiddenAlias: Int?

    /// The run folder (`--output`).
    var out: String { output ?? "" }

    mutating func validate() throws {
        try OptionAlias.merge(&self, \.output, alias: \.outAlias, current: "--output", old: "--out")
        OptionAlias.merge(&self, \.hidden, alias: \.hiddenAlias)
        guard output != nil else { throw ValidationError("Missing expected argument '--output <dir>'") }
        // Out-of-range numbers are reported before the dataset is read, naming the option.
        for (name, value) in [("--steps", steps), ("--batch-size", batchSize), ("--layers", layers), ("--hidden-size", hidden),
                              ("--heads", heads), ("--context", context), ("--bucket-pool", bucketPool)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        for (name, value, limit) in [("--batch-size", batchSize, 4096), ("--bucket-pool", bucketPool, 64)] where value > limit {
            throw ValidationError("\(name) must be in 1...\(limit), got \(value)")
        }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative, got \(warmup)") }
        guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        guard (0...0.9).contains(augment) else { throw ValidationError("--augment must be between 0 and 0.9, got \(augment)") }
        guard (0...1).contains(keywordSubsets) else { throw ValidationError("--keyword-subsets must be between 0 and 1, got \(keywordSubsets)") }
    }

    func run() throws {
        let dataset = try IconDataset.read(from: URL(fileURLWithPath: data))
        var options = IconTrainingOptions()
        options.model.flavor = .llama
        options.model.layerCount = layers
        options.model.hiddenSize = hidden
        options.model.headCount = heads
        options.model.contextLength = context
        options.model.dropout = dropout
        options.training.steps = steps
        options.training.learningRate = learningRate
        options.training.minimumLearningRate = learningRate / 10
        options.training.warmupSteps = warmup
        let checkpointEvery = runOptions.checkpointEvery ?? 200
        options.training.checkpointInterval = checkpointEvery
        options.training.validationInterval = checkpointEvery
        options.training.logInterval = 10
        options.training.seed = seed
        options.training.outputDirectory = out
        options.batchSize = batchSize
        options.bucketPool = bucketPool
        options.keywordSubsetRate = keywordSubsets
        options.augmentation = augment
        options.initialModel = initFrom.map { URL(fileURLWithPath: $0, isDirectory: true) }
        options.resume = runOptions.resume
        options.halfPrecision = !fullPrecision
        options.training.timeLimit = runOptions.timeLimit
        let summary = try IconTrainingRun(dataset: dataset, options: options).run()
        try plot.write(metrics: URL(fileURLWithPath: options.training.outputDirectory).appendingPathComponent(TrainingRun.metricsFileName))
        if format.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print("steps \(summary.completedSteps), \(Int(summary.seconds)) s, training loss \(summary.finalTrainingLoss.map { String($0) } ?? "-"), validation loss \(summary.finalValidationLoss.map { String($0) } ?? "-")")
            print("model: \(summary.modelDirectory)")
        }
    }
}
