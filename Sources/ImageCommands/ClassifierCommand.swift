import ArgumentParser
import Foundation
import ImageGeneration
import Tensors

/// `images classifier train`: the evaluation classifier.
struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classifier", abstract: "Train the evaluation classifier.", subcommands: [Train.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train the small CNN used by `images eval`; reports test accuracy.")
        @OptionGroup var data: DataOptions
        @OptionGroup var training: TrainingOptions
        @Option(help: "Store weights as float16.") var halfPrecision = true
        @Flag(help: "Print the accuracy as JSON.") var json = false
        @Option(name: .shortAndLong, help: "Output file.") var output = "runs/images/classifier.safetensors"

        struct Report: Codable { let testAccuracy: Double, seconds: Double }

        func run() throws {
            let train = try data.load(.train), test = try data.load(.test)
            var c = DigitClassifier.Configuration()
            c.imageSize = train.width
            c.imageChannels = train.channels
            c.classCount = train.classNames.count
            var generator = SeededGenerator(seed: training.seed)
            let model = try DigitClassifier(configuration: c, generator: &generator)
            let start = Date()
            try model.train(on: train, batchSize: training.batchSize, training: training.configuration)
            try model.save(to: URL(fileURLWithPath: output), halfPrecision: halfPrecision)
            let accuracy = try DigitClassifier.load(from: URL(fileURLWithPath: output)).accuracy(on: test)
            let report = Report(testAccuracy: accuracy, seconds: Date().timeIntervalSince(start))
            log(String(format: "test accuracy %.2f%% after %.0f s; wrote %@", 100 * accuracy, report.seconds, output))
            if json { try printJSON(report) }
        }
    }
}
