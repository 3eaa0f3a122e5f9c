// Fuzzes the retrieval corpus reader. The first byte picks the layout: even for JSONL
// (`{"_id","title","text"}` a line), odd for TSV (`id<TAB>text[<TAB>title]`).
import Foundation
import FuzzSupport
import NGramRetrieval

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSONL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzInput(data, size)
    guard let selector = input.first else { return 0 }
    let name = selector & 1 == 0 ? "corpus.jsonl" : "corpus.tsv"
    let url = ScratchFile.write(UnsafeRawBufferPointer(rebasing: input.dropFirst()), name: name)
    _ = try? CorpusReader.read(url)
    return 0
}

runFuzzer(fuzzJSONL)
