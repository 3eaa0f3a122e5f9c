import ArgumentParser
import Commands
import Foundation
import ImageGeneration
import Tensors
import Training

/// `images tokenizer train|eval`.
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Train or evaluate an image tokenizer (VQ or ELM's binary autoencoder).",
        subcommands: [Train.self, Evaluate.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train a tokenizer; reports reconstruction MSE/PSNR and code usage on the test split.")
        @OptionGroup var data: DataOptions
        @OptionGroup var training: TrainingOptions
        @Option(help: "vq or bae.") var kind: TokenizerConfiguration.Kind = .binary
        @Option(help: "Latent channels: bits (bae) or code vector size (vq).") var latentChannels = 16
        @Option(help: "VQ codebook size.") var codebookSize = 512
        @Option(help: "BAE bits per sub-token.") var bitsPerSubToken = 8
        @Option(help: "Channels of the first convolution.") var hiddenChannels = 32
        @Option(help: "Store weights as float16.") var halfPrecision = true
        @Flag(help: "Print the report as JSON on stdout.") var json = false
        @Option(name: .shortAndLong, help: "Output file.") var output = "runs/images/tokenizer.safetensors"
        @OptionGroup var plot: PlotOption

        func run() throws {
            let train = try data.load(.train), test = try data.load(.test)
            var c = TokenizerConfiguration()
            c.kind = kind
            c.imageSize = train.width
            c.imageChannels = train.channels
            c.latentChannels = latentChannels
            c.codebookSize = codebookSize
            c.bitsPerSubToken = bitsPerSubToken
            c.hiddenChannels = hiddenChannels
            guard train.width == train.height else { throw ValidationError("images must be square, got \(train.width)x\(train.height)") }
            let trainingRun = TrainingRun(directory: URL(fileURLWithPath: training.runFolder(output: output), isDirectory: true),
                                          resume: training.resume, note: log)
            // The run's shape wins on resume: the checkpoint holds its weights.
            c = try trainingRun.settle(c, recordedIn: TrainingRunFiles.configuration) { _ in
                "--resume: the tokenizer is built as the run's \(TrainingRunFiles.configuration) says; shape options given now are ignored"
            }
            var generator = SeededGenerator(seed: training.seed)
            let tokenizer = try ImageTokenizer(configuration: c, generator: &generator)
            let start = Date()
            let history = try tokenizer.train(on: train, batchSize: training.batchSize, training: training.configuration(output: output),
                                              resume: training.resume, records: [try .init(TrainingRunFiles.configuration, encoding: c)])
            try tokenizer.save(to: URL(fileURLWithPath: output), halfPrecision: halfPrecision)
            try trainingRun.writeSummary(TrainingRunFiles.Summary(history: history, output: output))
            try plot.write(metrics: trainingRun.metricsURL)
            let report = try ImageTokenizer.load(from: URL(fileURLWithPath: output)).evaluate(on: test)
            log(String(format: "trained in %.0f s; test MSE %.5f, PSNR %.2f dB, code usage %.1f%%, perplexity %.1f, %d distinct codes; wrote %@",
                       Date().timeIntervalSince(start), report.meanSquaredError, report.peakSignalToNoise, 100 * report.codeUsage,
                       report.perplexity, report.distinctCodes, output))
            if json { try printJSON(report) }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "eval", abstract: "Reconstruction MSE/PSNR and code usage of a tokenizer on the test split.")
        @OptionGroup var data: DataOptions
        @Option(help: "Tokenizer file (default: the shipped one).") var tokenizer: String?
        @Flag(help: "Print the report as JSON on stdout.") var json = false

        func run() throws {
            let report = try ImageTokenizer.load(from: ShippedModels.imageTokenizer(tokenizer)).evaluate(on: data.load(.test))
            if json { try printJSON(report) } else {
                print(String(format: "%@: MSE %.5f, PSNR %.2f dB, code usage %.1f%%, perplexity %.1f, %d distinct codes (%d images)",
                             report.kind, report.meanSquaredError, report.peakSignalToNoise, 100 * report.codeUsage, report.perplexity,
                             report.distinctCodes, report.images))
            }
        }
    }
}
