// Fuzzes FM-index files: header, version, sizes, checksum, then the payload sections. Most
// mutations would only ever test the checksum, so when the input's first byte is odd the
// harness rewrites the header's payload size and XXH64 to match, letting the fuzzer reach
// the section parser and the queries behind it (the checksum is not a security boundary).
import FMIndex
import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzFMIndex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzInput(data, size)
    guard let selector = input.first else { return 0 }
    var bytes = [UInt8](input.dropFirst())
    if selector & 1 == 1, bytes.count >= 32 {
        let payloadCount = UInt64(bytes.count - 32)
        let digest = bytes[32...].withUnsafeBytes { XXHash64.hash($0) }
        for index in 0..<8 {
            bytes[16 + index] = UInt8(truncatingIfNeeded: payloadCount >> (8 * UInt64(index)))
            bytes[24 + index] = UInt8(truncatingIfNeeded: digest >> (8 * UInt64(index)))
        }
    }
    let url = bytes.withUnsafeBytes { ScratchFile.write($0, name: "corpus.fmi") }
    guard let index = try? FMIndex(contentsOf: url.path) else { return 0 }
    // Exercise the loaded structure the way `retrieve` does: documents, counts, locate, extend.
    for document in 0..<min(index.documentCount, 4) {
        guard let tokens = try? index.document(document), !tokens.isEmpty else { continue }
        let ngram = Array(tokens.prefix(3))
        _ = index.count(ngram)
        _ = index.locate(ngram, limit: 8)
        _ = index.documentFrequency(ngram)
        _ = index.nextTokens(after: Array(tokens.prefix(1)))
    }
    _ = index.nextTokens(after: index.fullRange).prefix(4)
    return 0
}

runFuzzer(fuzzFMIndex)
