import ArgumentParser
import Commands
import Foundation
import ImageGeneration

/// `images eval`: class accuracy and Fréchet distance of generated images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Generate N images per class; report classifier accuracy and Fréchet distance vs the test set (with the real-vs-real floor).")
    @OptionGroup var data: DataOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var quantization: QuantizeOption
    @Option(help: "Classifier file (written by `images classifier train`; default: the shipped one).") var classifier: String?
    @Option(help: "Images per class (1000 gives the 10,000 of the protocol).") var perClass = 1000
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Images sampled together.") var batchSize = 100
    @Flag(help: "Print the report as JSON on stdout.") var json = false

    func validate() throws {
        guard (1...10_000).contains(perClass) else { throw ValidationError("--per-class must be in 1...10000, got \(perClass)") }
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be in 1...10000, got \(batchSize)") }
    }

    func run() throws {
        let generator = try models.load()
        try quantization.prepare(generator.model.transformer)
        let classifierModel = try DigitClassifier.load(from: ShippedModels.file("images", "classifier.safetensors", explicit: classifier))
        let test = try data.load(.test), train = try data.load(.train)
        let report = try ImageEvaluation.run(generator: generator, classifier: classifierModel, test: test, train: train, perClass: perClass,
                                             settings: sampling.settings, seed: seed, batchSize: batchSize, progress: log)
        if json { try printJSON(report) } else {
            print(String(format: "%d images: class accuracy %.2f%%, Fréchet distance %.3f (real-vs-real floor %.3f), classifier test accuracy %.2f%%, %.1f images/s",
                         report.generatedImages, 100 * report.classAccuracy, report.frechetDistance, report.realFrechetDistance,
                         100 * report.classifierTestAccuracy, report.imagesPerSecond))
        }
    }
}
