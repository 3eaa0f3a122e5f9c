import ArgumentParser
import Autograd
import Foundation
import NeuralNetworks

/// `bench skip`: speed and quality of layer skipping on a trained model. Quality is the
/// validation loss computed by decoding held-out windows token by token with the skipping
/// active (so every prediction uses exactly the layers decoding would).
struct SkipBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skip", abstract: "SkipDecode and FFN-SkipLLM: decode speed vs validation loss.")
    @Option(help: "Model folder (nexttoken lm train output).") var model: String
    @Option(help: "The training text; its last 10% is held out.") var text: String
    @Option(help: "Held-out windows.") var windows = 6
    @Option(help: "Tokens per window.") var length = 96
    @Flag(help: "JSON on stdout.") var json = false

    struct Row: Codable { let method: String, validationLoss: Double, tokensPerSecond: Double }

    func run() throws {
        let data = try InferenceData(model: model, text: text)
        let transformer = try DecoderTransformer.load(from: URL(fileURLWithPath: model))
        let layers = transformer.configuration.layerCount
        var methods: [(String, () throws -> LayerSkipping?)] = [("no skipping", { nil })]
        for minimum in stride(from: layers - 1, through: 1, by: -1) {
            methods.append(("SkipDecode \(layers)->\(minimum) layers over positions 8..64",
                            { try LayerSkipping(.skipDecode(maximumLayers: layers, minimumLayers: minimum, startPosition: 8, endPosition: 64)) }))
        }
        for threshold: Float in [0.99, 0.95, 0.9] {
            methods.append(("FFN-skip, cosine > \(threshold)", { try LayerSkipping(.feedForward(cosineThreshold: threshold, warmupTokens: 8)) }))
        }
        // The first pass warms caches and buffers up; the baseline is measured again last.
        methods.append(("no skipping (again)", { nil }))
        let starts = (0..<windows).map { $0 * max(1, (data.validation.count - length - 1) / max(windows, 1)) }
        var rows: [Row] = []
        for (name, make) in methods {
            var total = 0.0, count = 0
            let begin = Measurement.now()
            for start in starts {
                let window = Array(data.validation[start...(start + length)])
                let skipping = try make()
                let cache = transformer.makeCache(capacity: length + 1)
                for position in 0..<length {
                    let hidden = try transformer.hiddenStates(.tokens([[window[position]]]), caches: [cache], skipping: skipping)
                    skipping?.advance()
                    let logits = try Tape.withoutGradient { try transformer.logits(fromHidden: hidden) }
                    total += Double(try logits.reshaped([1, -1]).crossEntropy(targets: [window[position + 1]]).value.scalar)
                    count += 1
                }
            }
            let seconds = Measurement.now() - begin
            rows.append(Row(method: name, validationLoss: total / Double(count), tokensPerSecond: Double(count) / seconds))
            report(String(format: "%-48@ loss %.4f nats  %6.0f tokens/s", name as NSString, total / Double(count), Double(count) / seconds))
        }
        if json { try Measurement.printJSON(rows) }
    }
}
