import ArgumentParser
import Autograd
import Commands
import Foundation
import NeuralNetworks

/// `nexttoken lm logits --model DIR --ids 1,2,3 --json`: the logits of the last position,
/// so that compatibility with another implementation can be checked from outside.
///
/// ```sh
/// nexttoken lm logits --model Tests/Fixtures/gpt2-tiny --ids 171,806,365 --json > logits.json
/// nexttoken lm logits --model runs/shakespeare "ROMEO" --top 5
/// ```
public struct LogitsCommand: ParsableCommand {
    /// `logits`, with its abstract and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print the next-token logits after a prompt.",
        discussion: """
            With --json, prints the last position's logits as one JSON array of vocabulary-size \
            numbers (shortest round-trip float32 spelling). Without it, prints the most likely \
            next tokens as a table.
            """)

    /// `--model` and `--tokenizer`.
    @OptionGroup public var model: ModelOptions
    /// The prompt text or `--ids`.
    @OptionGroup public var prompt: PromptOptions
    /// `--json`.
    @OptionGroup public var output: JSONOption
    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    @Option(help: "Rows of the table printed without --json.")
    public var top: Int = 10

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// Rejects a `--top` below 1.
    public func validate() throws {
        if top < 1 { throw ValidationError("--top: must be >= 1, got \(top)") }
    }

    /// Runs the prompt and prints the last position's logits (JSON) or the top tokens (table).
    public func run() throws {
        threads.apply()
        let transformer = try model.loadModel()
        let tokenizer = try model.loadTokenizer()
        let configuration = transformer.configuration
        let tokens = try prompt.tokens(tokenizer: tokenizer, vocabularySize: configuration.vocabularySize, modelPath: model.modelPath)
        if configuration.flavor == .gpt2, tokens.count > configuration.contextLength {
            throw CommandFailure("prompt: \(tokens.count) tokens exceed the model's context of \(configuration.contextLength) tokens")
        }
        let logits = try Tape.withoutGradient { try transformer.logits(tokens: [tokens]) }.value  // [1, T, V]
        let vocabulary = configuration.vocabularySize
        let all = logits.scalars
        let last = Array(all[(all.count - vocabulary)...])
        if let bad = last.firstIndex(where: { !$0.isFinite }) {
            throw CommandFailure("--model \(model.modelPath): logit of token \(bad) is \(last[bad]); the weights are damaged")
        }
        if output.json {
            Console.printLine("[" + last.map { "\($0)" }.joined(separator: ",") + "]")
            return
        }
        let ranked = last.indices.sorted { last[$0] > last[$1] }.prefix(top)
        var lines = ["rank\tid\tlogit\ttoken"]
        for (rank, id) in ranked.enumerated() {
            let text = (try? tokenizer?.decode([id])).map { $0.debugDescription } ?? ""
            lines.append("\(rank + 1)\t\(id)\t\(last[id])\t\(text)")
        }
        Console.printLine(lines.joined(separator: "\n"))
    }
}
