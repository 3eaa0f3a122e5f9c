// Fuzzes the IDX (MNIST) reader, gzip-compressed input included (the first two bytes 1f 8b
// send the input through zlib).
import Foundation
import FuzzSupport
import ImageGeneration

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Data(fuzzInput(data, size))
    _ = try? IDXFile(data: input, name: "fuzz.idx")
    return 0
}

runFuzzer(fuzzIDX)
