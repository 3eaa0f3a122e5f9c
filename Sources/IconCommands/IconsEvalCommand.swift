import ArgumentParser
import Commands
import Foundation
import IconSynthesis

/// `icons eval --data FILE`: validity, uniqueness and novelty (IconShop section 4.2).
struct IconsEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Validity, Uniqueness and Novelty of sampled icons against the training set.")

    @Option(help: "The dataset the model was trained on.") var data: String
    @Option(help: "Comma-separated prompts.") var prompts = "camera,heart,house,arrow,star,bell,lock,folder"
    @Option(help: "Samples per prompt (at most 1000).") var samples = 8
    @Option(help: "Render size of the raster novelty check (8...1024).") var rasterSize = 32
    @Option(help: "Keyword classifier folder (`icons classifier train`); default <model>/classifier when present.") var classifier: String?
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @Option(help: "Measure what `icons generate` keeps: sample this many candidates per icon and keep the best by --rerank-by (1: raw samples, the default; ranking by the classifier inflates the text alignment). Eval's guidance stays 1 unless --guidance is given (generate's default is 1.5).")
    var rerank = 1
    @Option(help: "What reranking ranks by: both, classifier or likelihood (as `icons generate`).")
    var rerankBy: IconRerankCriterion = .both
    @Flag(help: "Print the report as JSON on stdout.") var json = false

    func validate() throws {
        guard (1...64).contains(rerank) else { throw ValidationError("--rerank must be in 1...64, got \(rerank)") }
        guard (1...1000).contains(samples) else { throw ValidationError("--samples must be in 1...1000, got \(samples)") }
        guard (8...1024).contains(rasterSize) else { throw ValidationError("--raster-size must be in 8...1024, got \(rasterSize)") }
    }

    func run() throws {
        let dataset = try IconDataset.read(from: URL(fileURLWithPath: data))
        var synthesizer = try model.load()
        synthesizer.textGuidance = sampling.guidance ?? 1
        var evaluator = IconEvaluator(synthesizer: synthesizer, dataset: dataset)
        evaluator.rasterSize = rasterSize
        let classifierURL = try classifier.map { URL(fileURLWithPath: $0) }
            ?? model.folder().appendingPathComponent("classifier")
        if classifier != nil || FileManager.default.fileExists(atPath: classifierURL.appendingPathComponent("classifier.json").path) {
            evaluator.classifier = try IconClassifier.load(from: classifierURL)
        }
        evaluator.rerank = rerank
        evaluator.rerankBy = rerankBy
        evaluator.rerankClassifier = evaluator.classifier
        let list = prompts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let report = try evaluator.evaluate(prompts: list, samplesPerPrompt: samples, options: sampling.options) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(String(format: "samples %d  validity %.2f%%  uniqueness %.2f%%  novelty %.2f%%  raster novelty %.2f%%  %.2f icons/s",
                         report.samples, 100 * report.validity, 100 * report.uniqueness, 100 * report.novelty,
                         100 * report.rasterNovelty, report.iconsPerSecond))
            if let alignment = report.textAlignment, let top5 = report.textAlignmentTop5 {
                print(String(format: "text alignment %.4f (top-5 %.2f%%; held-out real icons: %.4f)", alignment, 100 * top5,
                             report.textAlignmentHeldOutReal ?? .nan))
            }
            if let fd = report.frechetDistance, let floor = report.frechetDistanceTrainingVersusHeldOut {
                print(String(format: "Fréchet distance %.3f (training vs held-out: %.3f)", fd, floor))
            }
        }
    }
}

/// `icons classifier train --data FILE -o DIR`: the keyword classifier behind the
/// text-alignment score and the Fréchet distance of `icons eval`.
struct IconsClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Train the keyword classifier used by `icons eval`.", subcommands: [Train.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "train", abstract: "Train on rendered training icons.")

        @Option(help: "Dataset file from `icons dataset build`.") var data: String
        @Option(name: [.customShort("o"), .long], help: "Output folder.") var output: String
        @Option(help: "Number of keyword classes.") var classes = 128
        @Option(help: "Optimisation steps.") var steps = 1500
        @Option(help: "Random seed.") var seed: UInt64 = 0
        @OptionGroup var threads: ThreadsOption
        @OptionGroup var quiet: QuietOption

        func run() throws {
            let dataset = try IconDataset.read(from: URL(fileURLWithPath: data))
            let classifier = try IconClassifier.train(dataset: dataset, classCount: classes, steps: steps, seed: seed) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
            try classifier.save(to: URL(fileURLWithPath: output))
            print("wrote \(output) (\(classifier.classes.count) classes)")
        }
    }
}
