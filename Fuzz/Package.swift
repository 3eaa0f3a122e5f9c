// swift-tools-version:6.0
// libFuzzer targets for every NextToken parser of outside data (issue 10). A separate package
// so the main package and CI never see the sanitizer flags. Build and run one with
//   scripts/fuzz TARGET SECONDS
// which runs
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address
// Each executable's main.swift passes its one-input function to libFuzzer's
// `LLVMFuzzerRunDriver` (SwiftPM on Linux points `main` at the module's own entry point, so
// libFuzzer's `main` cannot be used).

import PackageDescription

/// One fuzz target: an executable over `FuzzSupport` and the NextToken products it parses with.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "NextToken") },
        path: "Sources/\(name)")
}

let package = Package(
    name: "NextTokenFuzz",
    dependencies: [.package(name: "NextToken", path: "..")],
    targets: [
        .target(name: "CFuzzer", path: "Sources/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Sources/FuzzSupport"),
        fuzzTarget("fuzz-svg", ["IconSynthesis"]),
        fuzzTarget("fuzz-csv", ["Forecasting"]),
        fuzzTarget("fuzz-safetensors", ["SafeTensors"]),
        fuzzTarget("fuzz-config", ["NeuralNetworks"]),
        fuzzTarget("fuzz-fmindex", ["FMIndex"]),
        fuzzTarget("fuzz-jsonl", ["NGramRetrieval"]),
        fuzzTarget("fuzz-idx", ["ImageGeneration"]),
        fuzzTarget("fuzz-bpe", ["Tokenizers"]),
    ]
)
