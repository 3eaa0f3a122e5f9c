import ArgumentParser
import Foundation
import Tokenizers

/// `bench tokenizer`: GPT-2 byte-level BPE encoding speed on the SQuAD passages, as one
/// string and per document. The Python peer (`scripts/tokenizer_peer.py`, Hugging Face
/// `tokenizers`) encodes the same text from the same files; run it right after.
struct TokenizerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenizer", abstract: "GPT-2 BPE encoding MB/s on the SQuAD passages.")

    @Option(help: "Folder with vocab.json and merges.txt.") var tokenizer = "Tests/Fixtures/gpt2-tokenizer"
    @Option(help: "JSONL corpus whose text fields are encoded.") var corpus = "data/retrieval/squad-v1.1-dev.corpus.jsonl"
    @Option(help: "Timed runs; the median is reported.") var repetitions = 5
    @Flag(help: "Print results as JSON on stdout.") var json = false

    struct Result: Codable {
        let bytes: Int, tokens: Int, documents: Int
        let coldMegabytesPerSecond: Double, wholeTextMegabytesPerSecond: Double, perDocumentMegabytesPerSecond: Double
    }

    func run() throws {
        let texts = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["text"] as? String
        }
        let whole = texts.joined(separator: "\n")
        let bytes = whole.utf8.count
        // Cold: a fresh tokenizer (empty word cache) on the whole text.
        let fresh = try BytePairTokenizer(directory: URL(fileURLWithPath: tokenizer))
        let start = Measurement.now()
        let ids = fresh.encode(whole)
        let cold = Measurement.now() - start
        let warm = Measurement.medianSeconds(repetitions: repetitions) { _ = fresh.encode(whole) }
        let perDocument = Measurement.medianSeconds(repetitions: repetitions) {
            let tokenizer = try? BytePairTokenizer(directory: URL(fileURLWithPath: self.tokenizer))
            for text in texts { _ = tokenizer?.encode(text) }
        }
        let result = Result(bytes: bytes, tokens: ids.count, documents: texts.count,
                            coldMegabytesPerSecond: Double(bytes) / cold / 1e6,
                            wholeTextMegabytesPerSecond: Double(bytes) / warm / 1e6,
                            perDocumentMegabytesPerSecond: Double(bytes) / perDocument / 1e6)
        report(String(format: "%d bytes, %d tokens, %d documents: cold %.1f MB/s, warm %.1f MB/s, per document (incl. loading) %.1f MB/s",
                      bytes, ids.count, texts.count, result.coldMegabytesPerSecond, result.wholeTextMegabytesPerSecond, result.perDocumentMegabytesPerSecond))
        if json { try Measurement.printJSON(result) }
    }
}
