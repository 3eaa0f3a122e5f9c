import ArgumentParser
import Foundation
import NeuralNetworks

/// `bench context`: validation loss of a rotary model at multiples of the context it was
/// trained with, plain and with RoPE position interpolation or NTK-aware scaling.
struct ContextBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "context", abstract: "Validation loss beyond the trained context, with and without RoPE scaling.")
    @Option(help: "A LLaMA-flavour (rotary) model folder from nexttoken lm train.") var model: String
    @Option(help: "The training text; its last 10% is held out.") var text: String
    @Option(help: "Multiples of the trained context to evaluate.") var multiples: [Int] = [1, 2, 4]
    @Option(help: "Windows per measurement.") var windows = 12
    @Flag(help: "JSON on stdout.") var json = false

    struct Row: Codable { let multiple: Int, context: Int, method: String, validationLoss: Double }

    func run() throws {
        let trained = try DecoderTransformer.load(from: URL(fileURLWithPath: model)).configuration
        guard trained.flavor == .llama else { throw ValidationError("\(model) is not a rotary (LLaMA-flavour) model") }
        let data = try InferenceData(model: model, text: text)
        var rows: [Row] = []
        for multiple in multiples {
            let context = trained.contextLength * multiple
            let methods: [(String, (inout DecoderConfiguration) -> Void)] = multiple == 1
                ? [("none", { $0.contextLength = context })]
                : [("none", { $0.contextLength = context }),
                   ("position interpolation", { $0.contextLength = context; $0.ropeScale = Float(multiple) }),
                   ("NTK-aware", { $0.contextLength = context; $0.ropeNTKFactor = Float(multiple) })]
            for (name, adjust) in methods {
                let scaled = try DecoderTransformer.load(from: URL(fileURLWithPath: model), adjusting: adjust)
                let loss = try data.validationLoss(scaled, context: context, windows: windows)
                rows.append(Row(multiple: multiple, context: context, method: name, validationLoss: loss))
                report(String(format: "%dx (%d tokens) %@: %.4f nats", multiple, context, name, loss))
            }
        }
        if json { try Measurement.printJSON(rows) }
    }
}
