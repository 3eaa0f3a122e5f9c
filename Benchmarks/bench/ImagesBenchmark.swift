import ArgumentParser
import Foundation
import ImageGeneration
import Tensors

/// `bench images`: images/s of class-conditional generation (AR with the KV cache, or MLM),
/// sampling plus decoding, for the shipped models or any pair given.
struct ImagesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "Images/s of `images generate` (KV-cached AR decoding or MaskGIT steps, plus the tokenizer's decoder).")

    @Option(help: "Tokenizer file.") var tokenizer = "assets/images/tokenizer.safetensors"
    @Option(help: "Generator file.") var model = "assets/images/generator.safetensors"
    @Option(help: "Images per timed run.") var count = 200
    @Option(help: "Images sampled together.") var batchSize = 100
    @Option(help: "Guidance scale (1 = off, halves the work).") var guidance: Float = 2
    @Option(help: "Timed runs (median reported).") var runs = 3
    @Flag(help: "Print results as JSON on stdout.") var json = false

    struct Result: Codable { let kind: String, count: Int, batchSize: Int, guidance: Float, imagesPerSecond: Double, bestImagesPerSecond: Double }

    func run() throws {
        let generator = try ImageGenerator(tokenizer: URL(fileURLWithPath: tokenizer), model: URL(fileURLWithPath: model))
        var settings = SamplingSettings()
        settings.guidance = GuidanceSchedule(scale: guidance, kind: .linear)
        let classes = (0..<count).map { $0 % generator.classCount }
        _ = try generator.generateTensor(classes: Array(classes.prefix(batchSize)), settings: settings, seed: 99, batchSize: batchSize)
        var rates: [Double] = []
        for run in 0..<runs {
            let start = Date()
            _ = try generator.generateTensor(classes: classes, settings: settings, seed: UInt64(run), batchSize: batchSize)
            rates.append(Double(count) / Date().timeIntervalSince(start))
        }
        rates.sort()
        let result = Result(kind: generator.model.configuration.kind.rawValue, count: count, batchSize: batchSize, guidance: guidance,
                            imagesPerSecond: rates[rates.count / 2], bestImagesPerSecond: rates.last!)
        FileHandle.standardError.write(Data(String(format: "images %@: %.1f images/s (median of %d, best %.1f), batch %d, guidance %.1f\n",
                                                   result.kind, result.imagesPerSecond, runs, result.bestImagesPerSecond, batchSize, guidance).utf8))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}
