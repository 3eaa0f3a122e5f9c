// Fuzzes the safetensors reader: header length, JSON header, dtypes, shapes, offsets, the
// checksum metadata, then every tensor's conversion to Float or Int.
import Foundation
import FuzzSupport
import SafeTensors

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSafeTensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let url = ScratchFile.write(fuzzInput(data, size), name: "model.safetensors")
    guard let file = try? SafeTensorsFile(path: url.path) else { return 0 }
    for info in file.tensors {
        if (try? file.floats(info.name)) == nil { _ = try? file.integers(info.name) }
        _ = try? file.withRawBytes(info.name) { $0.count }
    }
    return 0
}

runFuzzer(fuzzSafeTensors)
