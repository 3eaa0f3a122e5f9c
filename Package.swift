// swift-tools-version:6.0
// NextToken: one autoregressive transformer core, four command-line applications.
// Architecture: docs/architecture.md. Dependencies point one way: down.

import Foundation
import PackageDescription

/// Release builds of the numeric code are compiled with full optimisation, without
/// exclusivity checks in the hot loops (they use raw pointers), and for the CPU that builds
/// them, as llama.cpp does with -march=native: AVX2/FMA (or NEON) roughly halve the cost of
/// the vectorised exp behind softmax, GELU and SiLU. Set NEXTTOKEN_PORTABLE=1 when building
/// binaries to run on other machines.
let portable = ProcessInfo.processInfo.environment["NEXTTOKEN_PORTABLE"] != nil
let releaseFlags = ["-Ounchecked"] + (portable ? [] : ["-target-cpu", "native"])
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(releaseFlags, .when(configuration: .release)),
]

let package = Package(
    name: "NextToken",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FileIO", targets: ["FileIO"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "SafeTensors", targets: ["SafeTensors"]),
        .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "Rendering", targets: ["Rendering"]),
        .library(name: "FMIndex", targets: ["FMIndex"]),
        .library(name: "Commands", targets: ["Commands"]),
        .library(name: "LanguageModelCommands", targets: ["LanguageModelCommands"]),
        .executable(name: "nexttoken", targets: ["nexttoken"]),
        .library(name: "Forecasting", targets: ["Forecasting"]),
        .library(name: "ImageGeneration", targets: ["ImageGeneration"]),
        .library(name: "NGramRetrieval", targets: ["NGramRetrieval"]),
        .library(name: "IconSynthesis", targets: ["IconSynthesis"]),
        .executable(name: "icons", targets: ["icons"]),
        .executable(name: "retrieve", targets: ["retrieve"]),
        .executable(name: "images", targets: ["images"]),
        .executable(name: "forecast", targets: ["forecast"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // C libraries: each used from exactly one Swift file.
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CRsvg", pkgConfig: "librsvg-2.0",
            providers: [.apt(["librsvg2-dev", "libcairo2-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Core.
        .target(name: "FileIO"),
        .target(name: "Tensors", dependencies: ["CBLAS"], swiftSettings: numericSettings),
        .target(name: "Autograd", dependencies: ["Tensors"], swiftSettings: numericSettings),
        .target(name: "SafeTensors", dependencies: ["FileIO"]),
        .target(name: "NeuralNetworks", dependencies: ["FileIO", "Tensors", "Autograd", "SafeTensors", "Tokenizers"], swiftSettings: numericSettings),
        .target(name: "Tokenizers", dependencies: ["FileIO"]),
        .target(name: "Rendering", dependencies: ["FileIO", "CPNG", "CRsvg"]),
        .target(name: "Training", dependencies: ["FileIO", "Tensors", "Autograd", "SafeTensors"], swiftSettings: numericSettings),
        .target(name: "Generation", dependencies: ["Tensors", "NeuralNetworks"], swiftSettings: numericSettings),
        .target(name: "FMIndex", dependencies: ["FileIO"], swiftSettings: numericSettings),

        // Command line.
        .target(
            name: "Commands",
            dependencies: [
                "FileIO", "Tensors", "Autograd", "SafeTensors", "NeuralNetworks", "Training", "Generation", "Tokenizers", "Rendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "LanguageModelCommands",
            dependencies: [
                "Commands", "Tensors", "Autograd", "SafeTensors", "NeuralNetworks", "Training", "Generation", "Tokenizers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "nexttoken", dependencies: ["Commands", "LanguageModelCommands", "ForecastCommands", "ImageCommands", "IconCommands", "RetrieveCommands"]),

        // Applications: a library, its command types (over Commands), a one-line executable.
        .target(name: "Forecasting", dependencies: ["FileIO", "Tensors", "Autograd", "NeuralNetworks", "Training", "SafeTensors", "Rendering", "Tokenizers"],
                swiftSettings: numericSettings),
        .target(name: "ForecastCommands", dependencies: ["FileIO", "Forecasting", "Commands", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "forecast", dependencies: ["ForecastCommands", "Commands"]),
        .target(name: "ImageGeneration", dependencies: ["FileIO", "Tensors", "Autograd", "NeuralNetworks", "Training", "Generation", "SafeTensors", "Rendering", "CZlib"],
                swiftSettings: numericSettings),
        .target(name: "ImageCommands", dependencies: ["ImageGeneration", "Rendering", "Tensors", "Commands", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: numericSettings),
        .executableTarget(name: "images", dependencies: ["ImageCommands", "Commands"]),
        .target(name: "IconSynthesis", dependencies: ["FileIO", "Tensors", "Autograd", "NeuralNetworks", "Training", "Generation", "Rendering"],
                swiftSettings: numericSettings),
        .target(name: "IconCommands", dependencies: ["FileIO", "IconSynthesis", "Rendering", "NeuralNetworks", "SafeTensors", "Training", "Commands",
                                                     .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "icons", dependencies: ["IconCommands", "Commands"]),
        .target(
            name: "NGramRetrieval",
            dependencies: ["FileIO", "FMIndex", "Tokenizers", "NeuralNetworks", "Generation", "Training", "Tensors", "Autograd"],
            swiftSettings: numericSettings),
        .target(
            name: "RetrieveCommands",
            dependencies: [
                "NGramRetrieval", "Tokenizers", "NeuralNetworks", "Commands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: numericSettings),
        .executableTarget(name: "retrieve", dependencies: ["RetrieveCommands", "Commands"]),
        .executableTarget(
            name: "char-lm",
            dependencies: ["Tensors", "Autograd", "NeuralNetworks", "Training", "Generation", "Tokenizers"],
            path: "Examples/char-lm"),
        .executableTarget(
            name: "custom-application",
            dependencies: ["Tensors", "Autograd", "NeuralNetworks", "Training", "Generation", "Tokenizers"],
            path: "Examples/custom-application"),

        // Benchmarks.
        .executableTarget(
            name: "bench",
            dependencies: [
                "Tensors", "Autograd", "NeuralNetworks", "Training", "Generation", "Tokenizers", "ImageGeneration", "Commands", "IconSynthesis", "Forecasting",
                "FMIndex", "NGramRetrieval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/bench",
            swiftSettings: numericSettings),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Tensors"], path: "Tests/TestSupport"),
        .testTarget(name: "FileIOTests", dependencies: ["FileIO"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "TestSupport"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"]),
        // Fixtures/tokenizer-json: made by scripts/make_tokenizer_json_fixture.py, found via #filePath.
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"], exclude: ["Fixtures/tokenizer-json"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Tokenizers", "SafeTensors", "TestSupport"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering"]),
        .testTarget(
            name: "CommandsTests",
            dependencies: ["Commands", "LanguageModelCommands", "NeuralNetworks", "Rendering", "Training", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // One CLI: option spellings and aliases, --version, --threads/--quiet, across every tool.
        .testTarget(
            name: "CommandLineInterfaceTests",
            dependencies: ["Commands", "LanguageModelCommands", "ForecastCommands", "IconCommands", "ImageCommands", "RetrieveCommands",
                           "Tensors", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "ForecastCommands", "NeuralNetworks", "Tokenizers", "Training", "TestSupport"]),
        .testTarget(name: "ImageGenerationTests", dependencies: ["ImageGeneration", "Generation", "Autograd", "Tensors", "Training", "Rendering", "TestSupport"]),
        .testTarget(
            name: "NGramRetrievalTests",
            dependencies: ["NGramRetrieval", "RetrieveCommands", "FMIndex", "Generation", "NeuralNetworks", "Tokenizers", "Tensors"]),
        .testTarget(name: "IconSynthesisTests", dependencies: ["IconSynthesis", "IconCommands", "Generation", "NeuralNetworks", "Rendering", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "NeuralNetworks", "TestSupport"]),
        .testTarget(name: "FMIndexTests", dependencies: ["FMIndex"]),
        // End to end over the built executables: bad inputs, SIGKILL during training, divergence.
        .testTarget(name: "ReliabilityTests", dependencies: ["Training", "SafeTensors", "FMIndex", "Tensors", "TestSupport"]),
    ]
)
