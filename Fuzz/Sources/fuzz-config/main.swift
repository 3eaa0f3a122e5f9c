// Fuzzes checkpoint `config.json` decoding: the project's own layout (`model_type`
// "nexttoken-decoder", `format_version`, `decoder`) and Hugging Face GPT-2 / LLaMA configs,
// then validation. No weights are built: a config alone must never make the loader trap.
import Foundation
import FuzzSupport
import NeuralNetworks

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Data(fuzzInput(data, size))
    guard let configuration = try? DecoderConfiguration(checkpointJSON: input, file: "config.json") else { return 0 }
    _ = try? configuration.validate()
    return 0
}

runFuzzer(fuzzConfig)
