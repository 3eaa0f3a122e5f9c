import ArgumentParser
import Commands
import Foundation
import Forecasting
import Training

/// `forecast train`: fits an AutoTimes forecaster on the training rows of one or more CSVs.
public struct TrainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a forecaster on the training split (ETT by rows, 70/10/20 otherwise); keeps the best validation weights.",
        discussion: "The run folder is OUTPUT: a checkpoint in OUTPUT/checkpoint holds the weights, optimiser, step, moving average and best weights. --resume continues with the same step count, schedule, batches, moving average and best weights; give the same options as the interrupted run (--steps may grow).")

    @OptionGroup public var inputOptions: InputOptions

    @Option(name: .long, help: "More CSV files to train on (repeatable); same columns options apply.")
    public var also: [String] = []

    @Option(name: [.short, .long], help: "Folder for forecaster.json and model.safetensors.")
    public var output: String = "runs/forecast"

    @Option(name: .long, help: "JSON ForecasterConfiguration preset (fields not given keep their defaults).")
    public var config: String?

    @Option(name: .long, help: "autotimes (segments as tokens, rolled) or time-llm (patches reprogrammed onto a frozen LLM; needs --backbone).")
    public var method: ForecastMethod = .autotimes

    @Option(name: .long, help: "time-llm: points predicted per forward pass (longer horizons roll; default 96).")
    public var trainHorizon: Int?

    @Option(name: .long, help: "time-llm: points per patch (default 16).")
    public var patchLength: Int?

    @Option(name: .long, help: "time-llm: step between patches (default 8).")
    public var patchStride: Int?

    @Option(name: .long, help: "time-llm: text prototypes mixed from the LLM's word embeddings (default 1000).")
    public var prototypes: Int?

    @Option(name: .long, help: "time-llm: the dataset description that opens the prompt.")
    public var description: String?

    @Option(name: .long, help: "time-llm: longest prompt in tokens; longer prompts keep their end, the statistics (default: what the context leaves).")
    public var promptTokens: Int?

    @Option(name: .long, help: "Folder with the backbone's vocab.json and merges.txt (or a byte-level BPE tokenizer.json) for Time-LLM prompts and timestamp texts (default: the backbone folder).")
    public var tokenizer: String?

    @Option(name: .long, help: "Points per segment token (default: from the frequency, 96 for hourly).")
    public var segment: Int?

    @Option(name: .long, help: "Longest lookback in points the model reads (autotimes: rounded down to whole segments, default 7 segments; time-llm: default 512).")
    public var lookback: Int?

    @Option(name: .long, help: "Segment embedding and projection: linear or mlp.")
    public var embedding: ForecasterConfiguration.EmbeddingKind?

    @Option(name: .long, help: "autotimes: dropout on the segment embeddings and the backbone's output while training (default 0).")
    public var dropout: Float?

    @Flag(name: .long, help: "Add timestamp embeddings (needs a date column): with --backbone, the LLM's embedding of 'This is Time Series from A to B' per segment (AutoTimes); otherwise calendar features.")
    public var timestamps = false

    @Option(name: .long, help: "A Hugging Face GPT-2/LLaMA folder used as a frozen backbone (only the segment maps train).")
    public var backbone: String?

    @Option(name: .long, help: "With --backbone: train LoRA adapters of this rank on the backbone's linear layers too (saved as adapters.safetensors).")
    public var loraRank: Int?

    @Option(name: .long, help: "With --lora-rank: the adapters' alpha (update scaled by alpha / rank; default: the rank).")
    public var loraAlpha: Float?

    @Option(name: .customLong("hidden-size"), help: "Own backbone width (default 128).")
    public var width: Int?

    @Option(name: .long, help: "Own backbone layers (default 3).")
    public var layers: Int?

    @Option(name: .long, help: "Own backbone attention heads (default 4).")
    public var heads: Int?

    @Option(name: .long, help: "Optimisation steps.")
    public var steps: Int = 2000

    @Option(name: .long, help: "Windows per step.")
    public var batchSize: Int = 64

    @Option(name: .long, help: "Peak learning rate (warm-up, then cosine decay).")
    public var learningRate: Float = 1e-3

    @Option(name: .long, help: "Validate and keep an exponential moving average of the weights with this decay (0 = off; e.g. 0.99).")
    public var averagingDecay: Float = 0

    @Flag(name: .long, help: "Draw each training window's file uniformly first (with --also: a short file weighs as much as a long one).")
    public var balanceFiles = false

    @Option(name: .long, help: "AdamW weight decay.")
    public var weightDecay: Float = 0.01

    @Option(name: .customLong("validate-every"), help: ArgumentHelp("Validate and keep the best weights every this many steps.", valueName: "steps"))
    public var validationInterval: Int = 200

    @Option(name: .long, help: "Validation windows, evenly spaced over the validation rows (more: steadier choice of the best weights, slower validation).")
    public var validationWindows: Int = 512

    @Option(name: .long, help: "Split rule: auto (ETT by file name, else 70/10/20), ett-hourly, ett-minute, ratio.")
    public var split: SplitOption = .auto

    /// `--resume`, `--max-minutes` and `--checkpoint-every` (default 200).
    @OptionGroup public var runOptions: RunOptions

    /// `--seed`: initialisation and batch sampling.
    @OptionGroup public var seed: SeedOption

    /// `--json`: the training summary.
    @OptionGroup public var format: JSONOption

    /// `--plot FILE.png`: the loss curve of the run.
    @OptionGroup public var plot: PlotOption
    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    /// The older spellings `--width` and `--validation-interval` (see ``OptionAlias``).
    @Option(name: .customLong("width"), help: .hidden) var widthAlias: Int?
    @Option(name: .customLong("validation-interval"), help: .hidden) var validationIntervalAlias: Int?

    public init() {}

    public mutating func validate() throws {
        try OptionAlias.merge(&self, \.width, alias: \.widthAlias, current: "--hidden-size", old: "--width")
        OptionAlias.merge(&self, \.validationInterval, alias: \.validationIntervalAlias)
        if let segment, segment < 1 { throw ValidationError("--segment must be >= 1") }
        if let lookback, lookback < 1 { throw ValidationError("--lookback must be >= 1") }
        if steps < 1 { throw ValidationError("--steps must be >= 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be >= 1") }
        if let loraRank {
            if backbone == nil { throw ValidationError("--lora-rank adapts a frozen pretrained backbone: give --backbone DIR") }
            if loraRank < 1 { throw ValidationError("--lora-rank must be >= 1") }
        }
        if let loraAlpha, loraRank == nil || !(loraAlpha > 0) { throw ValidationError("--lora-alpha needs --lora-rank and must be > 0") }
        if !(averagingDecay >= 0 && averagingDecay < 1) { throw ValidationError("--averaging-decay must be in [0, 1)") }
        if let dropout, !(dropout >= 0 && dropout < 1) { throw ValidationError("--dropout must be in [0, 1)") }
        if validationWindows < 1 { throw ValidationError("--validation-windows must be >= 1") }
        if weightDecay < 0 { throw ValidationError("--weight-decay must be >= 0") }
        if method == .timeLLM && backbone == nil {
            throw ValidationError("--method time-llm reprograms a pretrained LLM: give --backbone DIR (a Hugging Face GPT-2 or LLaMA folder)")
        }
        for (value, name) in [(trainHorizon, "--train-horizon"), (patchLength, "--patch-length"), (patchStride, "--patch-stride"), (prototypes, "--prototypes"), (promptTokens, "--prompt-tokens")] {
            if let value, value < 1 { throw ValidationError("\(name) must be >= 1") }
        }
    }

    /// The run's model configuration, written when a run starts and read by `--resume`.
    static let runConfigurationFileName = "run-configuration.json"

    public func run() throws {
        let paths = [inputOptions.input] + also
        let tables = try paths.map { try inputOptions.read(path: $0, masksMissing: true) }
        var configuration = ForecasterConfiguration()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else {
                throw ForecastError.unreadableFile(path: config, detail: "cannot read the configuration")
            }
            do { configuration = try JSONDecoder().decode(ForecasterConfiguration.self, from: data) } catch {
                throw ForecastError.invalidModel(path: config, detail: "not a forecaster configuration: \(error)")
            }
        }
        configuration.segmentLength = segment ?? (config == nil ? tables[0].frequency.defaultSegmentLength : configuration.segmentLength)
        if let lookback { configuration.contextSegments = max(1, lookback / configuration.segmentLength) }
        configuration.method = method
        if let lookback { configuration.timeLLM.lookback = lookback }
        if let trainHorizon { configuration.timeLLM.horizon = trainHorizon }
        if let patchLength { configuration.timeLLM.patchLength = patchLength }
        if let patchStride { configuration.timeLLM.patchStride = patchStride }
        if let prototypes { configuration.timeLLM.prototypeCount = prototypes }
        if let description { configuration.timeLLM.datasetDescription = description }
        if let tokenizer { configuration.timeLLM.tokenizer = tokenizer }
        if let promptTokens { configuration.timeLLM.maximumPromptTokens = promptTokens }
        if let embedding { configuration.embedding = embedding }
        if let dropout { configuration.dropout = dropout }
        if timestamps {
            guard tables.allSatisfy({ $0.timestamps != nil }) else {
                throw ForecastError.invalidArgument(name: "--timestamps", detail: "every input needs a date column")
            }
            configuration.timestampEmbedding = true
        }
        if let backbone { configuration.frozenBackbone = backbone }
        // AutoTimes embeds timestamps with the LLM itself; with no LLM, calendar features stand in.
        if timestamps { configuration.timestampSource = configuration.frozenBackbone != nil ? .llmText : .calendar }
        if let loraRank { configuration.lora = LoRASettings(rank: loraRank, alpha: loraAlpha) }
        if let width { configuration.backbone.hiddenSize = width }
        if let layers { configuration.backbone.layerCount = layers }
        if let heads { configuration.backbone.headCount = heads }
        configuration.trainedFrequency = tables[0].frequency.description
        // The run's model shape is recorded in its run folder, so --resume rebuilds the same
        // model whatever shape options it is given. Nothing is written before the data is
        // known to be good: the training loop writes the record when it begins.
        let runFolder = URL(fileURLWithPath: output, isDirectory: true)
        let trainingRun = TrainingRun(directory: runFolder, resume: runOptions.resume, note: { Console.progress($0) })
        configuration = try trainingRun.settle(configuration, recordedIn: Self.runConfigurationFileName) { _ in
            "--resume: the model is built as the interrupted run's \(runFolder.appendingPathComponent(Self.runConfigurationFileName).path) says; shape options given now are ignored"
        }
        let splits = try zip(paths, tables).map { try DataSplit.make(split.kind(forFile: $0), length: $1.length) }

        var options = ForecastTrainingOptions()
        options.steps = steps
        options.batchSize = batchSize
        options.learningRate = learningRate
        options.weightDecay = weightDecay
        options.averagingDecay = averagingDecay
        options.balanceFiles = balanceFiles
        options.validationInterval = validationInterval
        options.validationWindows = validationWindows
        options.seed = seed.seed
        options.checkpointing = ForecastCheckpointing(directory: output, every: runOptions.checkpointEvery ?? 200, resume: runOptions.resume,
                                                      records: [try .init(Self.runConfigurationFileName, encoding: configuration)])
        options.timeLimit = runOptions.timeLimit
        let forecaster = try Forecaster(configuration: configuration, seed: seed.seed)
        let trainable = forecaster.network.trainableParameters.reduce(0) { $0 + $1.value.count }
        switch method {
        case .autotimes:
            let stamps = configuration.timestampEmbedding ? ", timestamps: \(configuration.timestampSource.summary)" : ""
            Console.progress("training AutoTimes: segments of \(configuration.segmentLength), context \(configuration.contextSegments) segments, \(trainable) trainable parameters\(stamps)")
        case .timeLLM:
            let t = configuration.timeLLM
            Console.progress("training Time-LLM: lookback \(t.lookback), horizon \(t.horizon), \(t.patchCount) patches of \(t.patchLength), \(trainable) trainable parameters")
        }
        let summary = try forecaster.train(on: tables, splits: splits, options: options)
        try forecaster.save(to: URL(fileURLWithPath: output))
        try trainingRun.writeSummary(summary)
        try plot.write(metrics: trainingRun.metricsURL)
        if let cached = forecaster.autoTimes?.timestampText?.cachedCount {
            Console.progress("timestamp embeddings: \(cached) distinct texts embedded by the frozen LLM")
        }
        Console.progress("saved \(output) (best validation MSE \(summary.bestValidationLoss.map { "\($0)" } ?? "n/a") at step \(summary.bestStep.map(String.init) ?? "-"), \(Int(summary.seconds)) s)")
        if format.json { try Console.printJSON(summary) }
    }
}
