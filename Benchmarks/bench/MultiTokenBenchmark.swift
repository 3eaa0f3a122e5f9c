import ArgumentParser
import Foundation
import Generation
import NeuralNetworks
import Tensors
import Training

/// `bench mtp`: trains multi-token heads on a frozen model, then compares greedy decoding
/// with and without them (tokens/s, tokens per model pass; outputs checked equal).
struct MultiTokenBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mtp", abstract: "Multi-token prediction heads: accepted tokens per step and speed.")
    @Option(help: "Model folder (nexttoken lm train output).") var model: String
    @Option(help: "The training text (heads train on its first 90%, prompts come from the rest).") var text: String
    @Option(help: "Extra heads.") var heads = 3
    @Option(help: "Head training steps.") var steps = 150
    @Flag(help: "JSON on stdout.") var json = false

    struct Result: Codable {
        let heads: Int, trainingSeconds: Double, plainTokensPerSecond: Double, predictedTokensPerSecond: Double
        let tokensPerStep: Double, acceptance: Double
    }

    func run() throws {
        let data = try InferenceData(model: model, text: text)
        let transformer = try DecoderTransformer.load(from: URL(fileURLWithPath: model))
        let all = try data.tokenizer.encode(String(try String(contentsOfFile: text, encoding: .utf8).prefix(900_000)))
        let predictor = try MultiTokenPredictor(model: transformer, count: heads)
        let optimizer = AdamW(parameters: try ParameterSet(predictor.headParameters), hyperparameters: .init(weightDecay: 0))
        var rng = SeededGenerator(seed: 5)
        let context = min(64, transformer.configuration.contextLength)
        let start = Measurement.now()
        for step in 0..<steps {
            let windows = (0..<8).map { _ in
                let offset = Int(rng.next() % UInt64(all.count - context))
                return Array(all[offset..<(offset + context)])
            }
            let loss = try predictor.loss(windows: windows)
            predictor.zeroGradients()
            try loss.backward()
            optimizer.step(learningRate: 2e-3)
            if step % 50 == 0 { report("step \(step): head loss \(loss.value.scalar)") }
        }
        let trainingSeconds = Measurement.now() - start
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 100
        let prompts = data.prompts(count: 8, length: 16)
        var plainTime = 0.0, predictedTime = 0.0, steps = 0, accepted = 0, proposed = 0
        for prompt in prompts {
            var begin = Measurement.now()
            let reference = try TokenGenerator(model: transformer).generate(prompt: prompt, settings: settings).tokens
            plainTime += Measurement.now() - begin
            begin = Measurement.now()
            let (tokens, statistics) = try predictor.generate(prompt: prompt, maxNewTokens: 100)
            predictedTime += Measurement.now() - begin
            guard tokens == reference else { throw ValidationError("multi-token output differs from greedy decoding") }
            steps += statistics.steps
            accepted += statistics.acceptedGuesses
            proposed += statistics.proposedGuesses
        }
        let total = Double(prompts.count * 100)
        let result = Result(heads: heads, trainingSeconds: trainingSeconds, plainTokensPerSecond: total / plainTime,
                            predictedTokensPerSecond: total / predictedTime, tokensPerStep: total / Double(steps),
                            acceptance: Double(accepted) / Double(max(proposed, 1)))
        report(String(format: "%d heads (%.0f s training): plain %.0f tokens/s, with heads %.0f tokens/s, %.2f tokens per model pass, %.0f%% of guesses accepted",
                      heads, trainingSeconds, result.plainTokensPerSecond, result.predictedTokensPerSecond, result.tokensPerStep, 100 * result.acceptance))
        if json { try Measurement.printJSON(result) }
    }
}
