import Foundation
import Testing
import Tokenizers

/// Performance measurements, off by default: set `TOKENIZERS_BENCHMARK=1` and run
/// `swift test -c release --filter ThroughputTests` to print the numbers.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TOKENIZERS_BENCHMARK"] == "1"), .serialized)
struct ThroughputTests {
    /// The SQuAD corpus texts (`text` fields of the JSONL), joined by newlines.
    static func corpusText() throws -> String {
        try corpusDocuments().joined(separator: "\n")
    }

    static func corpusDocuments() throws -> [String] {
        let url = Fixtures.packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data/retrieval/squad-v1.1-dev.corpus.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        struct Line: Decodable { var text: String }
        return try lines.map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).text }
    }

    @Test func gpt2EncodingThroughput() throws {
        let text = try Self.corpusText()
        let start = ContinuousClock.now
        let gpt2 = try BytePairTokenizer(directory: Fixtures.gpt2Folder)
        print("load: \(ContinuousClock.now - start)")
        let result = try EncodingThroughput.measure(gpt2, text: text, repetitions: 5)
        print("encode \(result.byteCount) bytes -> \(result.tokenCount) tokens: cold \(result.coldMegabytesPerSecond) MB/s, warm best \(result.megabytesPerSecond) MB/s")
        let ids = gpt2.encode(text)
        // Compared by hand with the same checksum of Hugging Face `tokenizers`' ids.
        let checksum = ids.reduce(UInt64(0)) { ($0 * 31 + UInt64($1)) % 4_294_967_291 }
        print("checksum of ids: \(checksum)")
        #expect(try gpt2.decode(ids) == text)

        let documents = try Self.corpusDocuments()
        let fresh = try BytePairTokenizer(directory: Fixtures.gpt2Folder)
        let clock = ContinuousClock()
        var tokenCount = 0
        let elapsed = clock.measure { for document in documents { tokenCount += fresh.encode(document).count } }
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        print("per-document, cold cache: \(bytes) bytes -> \(tokenCount) tokens in \(elapsed)")
    }

    @Test func trainerThroughput() throws {
        var text = try Self.corpusText()
        while text.utf8.count < 5_000_000 { text += "\n" + text }
        let start = ContinuousClock.now
        let trainer = try BytePairTrainer(vocabularySize: 4000, specialTokens: ["<|endoftext|>"])
        let tokenizer = try trainer.train(on: [text])
        print("trained \(tokenizer.vocabularySize) tokens on \(text.utf8.count) bytes in \(ContinuousClock.now - start)")
        #expect(tokenizer.vocabularySize == 4000)
    }
}
