import ArgumentParser
import Commands
import Foundation
import ImageGeneration
import Training

/// `images`: class-conditional image generation over discrete image tokens (ELM, Liu et al. 2024).
public struct ImagesCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Tokenize images, train language models over their tokens, generate and evaluate (ELM at CPU scale).",
        version: NextTokenVersion.string,
        subcommands: [TokenizerCommand.self, ImagesTrainCommand.self, GenerateCommand.self, ReconstructCommand.self,
                      EvaluateCommand.self, ClassifierCommand.self])
}

/// Where the data is, and the process settings of every command that reads it.
struct DataOptions: ParsableArguments {
    @Option(help: "MNIST IDX folder (files may be .gz) or a folder of PNGs with one sub-folder per label (optionally train/ and test/); Examples/data/mnist holds a sample.")
    var data: String
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func load(_ split: ImageDataset.Split) throws -> ImageDataset {
        try ImageDataset.load(URL(fileURLWithPath: data), split: split)
    }
}

/// The shipped or user-trained models.
struct ModelOptions: ParsableArguments {
    @Option(help: "Tokenizer file (safetensors written by `images tokenizer train`; default: the shipped one).")
    var tokenizer: String?
    @Option(help: "Generator file (safetensors written by `images train`; default: the shipped one).")
    var model: String?

    func load() throws -> ImageGenerator {
        try ImageGenerator(tokenizer: ShippedModels.imageTokenizer(tokenizer),
                           model: ShippedModels.file("images", "generator.safetensors", explicit: model))
    }
}

/// Optimisation settings shared by the training commands.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Optimisation steps.") var steps = 2000
    @Option(help: "Examples per step (at most 4096).") var batchSize = 64
    @Option(help: "Peak learning rate.") var learningRate: Float = 1e-3
    @Option(help: "Linear warm-up steps.") var warmup = 100
    /// `--seed`: initialisation and batches.
    @OptionGroup var seedOption: SeedOption
    @Option(help: "Progress line every N steps.") var logEvery = 50
    @Option(help: "Run folder holding checkpoint/ for --resume, which needs the same model shape (default: the output file's path without .safetensors, plus \"-run\").")
    var runFolder: String?
    /// `--resume`, `--max-minutes` and `--checkpoint-every` (default 200).
    @OptionGroup var runOptions: RunOptions

    /// The seed of initialisation and batches.
    var seed: UInt64 { seedOption.seed }
    /// Whether to continue from the run folder's checkpoint.
    var resume: Bool { runOptions.resume }
    /// Steps between checkpoints; 0: only after the last.
    var checkpointEvery: Int { runOptions.checkpointEvery ?? 200 }

    func validate() throws {
        guard steps > 0, batchSize > 0 else { throw ValidationError("--steps and --batch-size must be positive") }
        guard batchSize <= 4096 else { throw ValidationError("--batch-size must be in 1...4096, got \(batchSize)") }
        guard learningRate > 0 else { throw ValidationError("--learning-rate must be positive") }
        guard warmup >= 0, warmup < steps else { throw ValidationError("--warmup must be in 0..<steps") }
    }

    /// The run folder for the output file `output`.
    func runFolder(output: String) -> String {
        if let runFolder { return runFolder }
        let url = URL(fileURLWithPath: output)
        let stem = url.pathExtension == "safetensors" ? url.deletingPathExtension() : url
        return stem.path + "-run"
    }

    /// The trainer's settings, checkpointing into the run folder of `output`.
    func configuration(output: String) -> TrainingConfiguration {
        var c = configuration
        c.outputDirectory = runFolder(output: output)
        c.checkpointInterval = checkpointEvery == 0 ? steps : checkpointEvery
        return c
    }

    var configuration: TrainingConfiguration {
        var c = TrainingConfiguration()
        c.steps = steps
        c.learningRate = learningRate
        c.minimumLearningRate = learningRate / 10
        c.warmupSteps = warmup
        c.weightDecay = 0.01
        c.beta2 = 0.99
        c.seed = seed
        c.checkpointInterval = 0
        c.validationInterval = Swift.max(1, steps / 5)
        c.logInterval = logEvery
        c.timeLimit = runOptions.timeLimit
        return c
    }
}

/// Temperature, top-k, guidance and steps.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Softmax temperature (the defaults 0.95 / top-k 32 / guidance 2 give about 98% class accuracy with the shipped model; see BENCHMARKS.md).")
    var temperature: Float = 0.95
    @Option(help: "Keep the k most likely values of each sub-token (0 = all).") var topK = 32
    @Option(help: "Classifier-free guidance scale (1 = off).") var guidance: Float = 2
    @Option(help: "Guidance schedule: linear (1 at the first step to the scale at the last) or constant.")
    var guidanceSchedule: GuidanceSchedule.Kind = .linear
    @Option(help: "MaskGIT decoding steps (masked models).") var decodingSteps = 8

    var settings: SamplingSettings {
        var s = SamplingSettings()
        s.temperature = temperature
        s.topK = topK
        s.guidance = GuidanceSchedule(scale: guidance, kind: guidanceSchedule)
        s.steps = decodingSteps
        return s
    }

    func validate() throws {
        // Named as typed; the library check covers the rest.
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be > 0, got \(temperature)") }
        guard topK >= 0 else { throw ValidationError("--top-k must be >= 0 (0 keeps all values), got \(topK)") }
        guard guidance >= 0, guidance.isFinite else { throw ValidationError("--guidance must be >= 0, got \(guidance)") }
        guard decodingSteps > 0 else { throw ValidationError("--decoding-steps must be > 0, got \(decodingSteps)") }
        try settings.validate()
    }
}

extension GuidanceSchedule.Kind: ExpressibleByArgument {}
extension TokenizerConfiguration.Kind: ExpressibleByArgument {}
extension GeneratorConfiguration.Kind: ExpressibleByArgument {}

/// Prints a value as one line of JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes a line to standard error.
func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension ShippedModels {
    /// `--tokenizer`, else the shipped image tokenizer.
    static func imageTokenizer(_ explicit: String?) throws -> URL {
        try file("images", "tokenizer.safetensors", explicit: explicit)
    }
}
