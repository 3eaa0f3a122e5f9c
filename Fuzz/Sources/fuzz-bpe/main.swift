// Fuzzes the byte-level BPE tokenizer files: `vocab.json` (hand-written JSON parser) and
// `merges.txt`. The input is split at its first 0x00 byte: vocabulary before, merges after.
// A tokenizer that loads then encodes and decodes a fixed text.
import Foundation
import FuzzSupport
import Tokenizers

private let sample = "Hello, world! It's 2026 — naïve café <|endoftext|> 12345  \n\t"

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzBPE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzInput(data, size)
    let split = input.firstIndex(of: 0) ?? input.count
    let vocabulary = ScratchFile.write(UnsafeRawBufferPointer(rebasing: input[..<split]), name: "vocab.json")
    let merges = ScratchFile.write(UnsafeRawBufferPointer(rebasing: input[min(split + 1, input.count)...]), name: "merges.txt")
    guard let tokenizer = try? BytePairTokenizer(vocabularyFile: vocabulary, mergesFile: merges) else { return 0 }
    if let ids = try? tokenizer.encode(sample) { _ = try? tokenizer.decode(ids) }
    for id in 0..<min(tokenizer.vocabularySize, 64) { _ = tokenizer.token(for: id) }
    return 0
}

runFuzzer(fuzzBPE)
