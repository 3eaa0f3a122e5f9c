import ArgumentParser
import Commands
import Foundation
import NGramRetrieval

/// `retrieve index build CORPUS -o DIR`
struct IndexBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Tokenise a corpus (JSONL, TSV or a folder of .txt) and build its FM-index folder.")

    @Argument(help: "Corpus: JSONL {\"_id\",\"title\",\"text\"}, TSV id<TAB>text[<TAB>title], or a folder of .txt files.")
    var corpus: String
    @Option(name: .shortAndLong, help: "Output index folder (replaced atomically).")
    var output: String
    @Option(name: .long, help: "Train a byte-level BPE of this many tokens on the corpus (ignored with --gpt2-tokenizer).")
    var vocabularySize = 4096
    @Option(name: .long, help: "Folder with a GPT-2 vocab.json + merges.txt (or a byte-level BPE tokenizer.json) to use instead of training a BPE.")
    var gpt2Tokenizer: String?
    @Option(name: .long, help: "Suffix-array sampling rate of the FM-index (larger: smaller, slower locate).")
    var sampleRate = 32
    @Flag(name: .long, help: "Print a JSON summary on stdout.")
    var json = false
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard vocabularySize >= 300 && vocabularySize <= 1 << 20 else {
            throw ValidationError("--vocabulary-size must be in 300...1048576, got \(vocabularySize)")
        }
        guard sampleRate >= 1 else { throw ValidationError("--sample-rate must be >= 1") }
    }

    func run() async throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), !isFolder.boolValue {
            throw ValidationError("--output \(output): exists and is not a folder (an index is a folder)")
        }
        let start = Date()
        let passages = try CorpusReader.read(URL(fileURLWithPath: corpus))
        printError("read \(passages.count) passages from \(corpus)")
        let tokenizer: PassageTokenizer
        let source: String
        if let gpt2Tokenizer {
            tokenizer = try PassageTokenizer(directory: URL(fileURLWithPath: gpt2Tokenizer))
            source = "gpt2:\(gpt2Tokenizer)"
        } else {
            let trainStart = Date()
            tokenizer = try PassageTokenizer.train(on: passages, vocabularySize: vocabularySize)
            source = "trained:\(vocabularySize)"
            printError("trained a \(tokenizer.vocabularySize)-token BPE in \(String(format: "%.1f", Date().timeIntervalSince(trainStart))) s")
        }
        let summary = try IndexBuilder.build(
            passages: passages, tokenizer: tokenizer, tokenizerSource: source, to: URL(fileURLWithPath: output),
            sampleRate: sampleRate, progress: printError)
        let total = Date().timeIntervalSince(start)
        if json {
            print(try jsonString([
                "passages": summary.passages, "tokens": summary.tokens, "index_bytes": summary.indexBytes,
                "bytes_per_token": Double(summary.indexBytes) / Double(max(summary.tokens, 1)),
                "tokenize_s": summary.tokenizeSeconds, "fm_index_s": summary.indexSeconds,
                "fm_index_tokens_per_s": summary.indexTokensPerSecond, "total_s": total, "output": output,
            ]))
        } else {
            print("indexed \(summary.passages) passages, \(summary.tokens) tokens into \(output) in "
                + "\(String(format: "%.2f", total)) s (FM-index \(Int(summary.indexTokensPerSecond)) tokens/s, "
                + "\(String(format: "%.2f", Double(summary.indexBytes) / Double(max(summary.tokens, 1)))) bytes/token)")
        }
    }
}
