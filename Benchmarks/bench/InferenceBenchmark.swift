import ArgumentParser
import Autograd
import Commands
import Foundation
import Generation
import NeuralNetworks
import Tensors
import Tokenizers

/// Shared set-up of the inference benchmarks: a trained model folder (as `nexttoken lm
/// train` writes it) and held-out text from the end of its training file.
struct InferenceData {
    let tokenizer: any Tokenizer
    let validation: [Int]

    init(model: String, text: String, validationFraction: Double = 0.1) throws {
        guard let tokenizer = try TokenizerFolder.load(from: URL(fileURLWithPath: model)) else {
            throw ValidationError("\(model) has no tokenizer files")
        }
        self.tokenizer = tokenizer
        let all = try String(contentsOfFile: text, encoding: .utf8)
        let tail = String(all.suffix(Int(Double(all.count) * validationFraction)))
        validation = try tokenizer.encode(tail)
    }

    /// Mean next-token cross-entropy over up to `windows` non-overlapping windows.
    func validationLoss(_ model: DecoderTransformer, context: Int, windows: Int = 40) throws -> Double {
        var total = 0.0, count = 0
        var start = 0
        while start + context + 1 <= validation.count && count < windows {
            let input = Array(validation[start..<(start + context)]), target = Array(validation[(start + 1)...(start + context)])
            let loss = try Tape.withoutGradient {
                try model.logits(tokens: [input]).reshaped([context, model.configuration.vocabularySize]).crossEntropy(targets: target)
            }
            total += Double(loss.value.scalar)
            count += 1
            start += context
        }
        return total / Double(max(count, 1))
    }

    /// Prompts of `length` tokens taken from the held-out text.
    func prompts(count: Int, length: Int) -> [[Int]] {
        let stride = max(1, (validation.count - length) / max(count, 1))
        return (0..<count).map { Array(validation[($0 * stride)..<($0 * stride + length)]) }
    }
}

/// `bench quantize`: validation loss, batch-1 decode tokens/s and resident memory of a model
/// in float32 and with int8 weights, each in its own process.
struct QuantizeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quantize", abstract: "int8 weight-only quantisation: loss, decode speed, memory.")
    @Option(help: "Model folder (nexttoken lm train output).") var model: String
    @Option(help: "The text the model was trained on; its last 10% is held out.") var text: String
    @Option(help: "float | int8 | all") var variant = "all"
    @Option(help: "Tokens generated per timed run (prompt of 16 plus these must fit the context).") var tokens = 100
    @Flag(help: "JSON lines on stdout.") var json = false

    struct Result: Codable {
        let variant: String, validationLoss: Double, decodeTokensPerSecond: Double, residentMiB: Double, peakResidentMiB: Double, weightBytes: Int
    }

    func run() throws {
        if variant == "all" {
            for single in ["float", "int8"] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
                process.arguments = ["quantize", "--model", model, "--text", text, "--variant", single, "--tokens", "\(tokens)"] + (json ? ["--json"] : [])
                try process.run()
                process.waitUntilExit()
            }
            return
        }
        let data = try InferenceData(model: model, text: text)
        let transformer = try DecoderTransformer.load(from: URL(fileURLWithPath: model))
        var weightBytes = transformer.parameterCount * 4
        if variant == "int8" {
            let (before, after) = try transformer.quantizeInt8()
            weightBytes += after - before
        }
        TensorStorage.trimCache()
        let loss = try data.validationLoss(transformer, context: min(128, transformer.configuration.contextLength))
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = tokens
        let prompt = data.prompts(count: 1, length: 16)[0]
        let generator = TokenGenerator(model: transformer)
        _ = try generator.generate(prompt: prompt, settings: settings)
        var times: [Double] = []
        for _ in 0..<3 {
            let start = Measurement.now()
            _ = try generator.generate(prompt: prompt, settings: settings)
            times.append(Measurement.now() - start)
        }
        let result = Result(variant: variant, validationLoss: loss, decodeTokensPerSecond: Double(tokens) / times.sorted()[1],
                            residentMiB: Double(Measurement.residentBytes()) / 1_048_576,
                            peakResidentMiB: Double(Measurement.peakResidentBytes()) / 1_048_576, weightBytes: weightBytes)
        report(String(format: "%@: validation loss %.4f nats, decode %.0f tokens/s (batch 1), resident %.0f MiB (peak %.0f), weights %.2f MB",
                      variant, loss, result.decodeTokensPerSecond, result.residentMiB, result.peakResidentMiB, Double(weightBytes) / 1e6))
        if json { print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self)) }
    }
}

/// `bench speculative`: greedy decoding with the target alone vs draft-then-verify, tokens/s
/// and acceptance rate over prompts from held-out text (the outputs are checked equal).
struct SpeculativeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "speculative", abstract: "Speculative decoding speed and acceptance.")
    @Option(help: "Target model folder.") var model: String
    @Option(help: "Draft model folder (same tokenizer).") var draft: String
    @Option(help: "The training text; prompts come from its last 10%.") var text: String
    @Option(help: "Lookaheads to measure.") var lookaheads: [Int] = [2, 4, 6]
    @Option(help: "Prompts.") var prompts = 8
    @Option(help: "Tokens generated per prompt.") var tokens = 100
    @Flag(help: "JSON on stdout.") var json = false

    struct Row: Codable { let method: String, tokensPerSecond: Double, acceptanceRate: Double?, targetPassesPerToken: Double }

    func run() throws {
        let data = try InferenceData(model: model, text: text)
        let target = try DecoderTransformer.load(from: URL(fileURLWithPath: model))
        let small = try DecoderTransformer.load(from: URL(fileURLWithPath: draft))
        let inputs = data.prompts(count: prompts, length: 24)
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = tokens
        var rows: [Row] = []
        var references: [[Int]] = []
        var start = Measurement.now()
        for prompt in inputs { references.append(try TokenGenerator(model: target).generate(prompt: prompt, settings: settings).tokens) }
        let plain = Measurement.now() - start
        rows.append(Row(method: "target alone", tokensPerSecond: Double(prompts * tokens) / plain, acceptanceRate: nil, targetPassesPerToken: 1))
        start = Measurement.now()
        for prompt in inputs { _ = try TokenGenerator(model: small).generate(prompt: prompt, settings: settings) }
        rows.append(Row(method: "draft alone", tokensPerSecond: Double(prompts * tokens) / (Measurement.now() - start), acceptanceRate: nil, targetPassesPerToken: 0))
        for lookahead in lookaheads {
            let decoder = try SpeculativeDecoder(target: target, draft: small, policy: .draftThenVerify(lookahead: lookahead))
            var accepted = 0, proposed = 0, passes = 0
            start = Measurement.now()
            for (prompt, reference) in zip(inputs, references) {
                let (result, statistics) = try decoder.generate(prompt: prompt, maxNewTokens: tokens)
                guard result.tokens == reference else { throw ValidationError("speculative output differs from the target's") }
                accepted += statistics.accepted
                proposed += statistics.proposed
                passes += statistics.targetCalls
            }
            let seconds = Measurement.now() - start
            rows.append(Row(method: "speculative, lookahead \(lookahead)", tokensPerSecond: Double(prompts * tokens) / seconds,
                            acceptanceRate: Double(accepted) / Double(max(proposed, 1)), targetPassesPerToken: Double(passes) / Double(prompts * tokens)))
        }
        for row in rows {
            report(String(format: "%-28@ %7.0f tokens/s  acceptance %@  target passes/token %.2f", row.method as NSString, row.tokensPerSecond,
                          row.acceptanceRate.map { String(format: "%.0f%%", 100 * $0) } ?? "-", row.targetPassesPerToken))
        }
        if json { try Measurement.printJSON(rows) }
    }
}
