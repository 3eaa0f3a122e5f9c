import ArgumentParser
import Foundation
import NeuralNetworks
import Tokenizers

/// `--model DIR` and `--tokenizer DIR`: which model to run and how to turn text into its
/// token ids.
///
/// `DIR` is a Hugging Face GPT-2 or LLaMA folder (`config.json` + `model.safetensors`) or a
/// NextToken checkpoint (written by `nexttoken lm train`). The tokenizer is looked up in
/// `--tokenizer DIR` if given, else in the model folder (see ``TokenizerFolder``).
///
/// ```swift
/// @OptionGroup var model: ModelOptions
/// let transformer = try model.loadModel()
/// let tokenizer = try model.loadTokenizer()   // nil when the folder has none
/// ```
public struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"),
            help: ArgumentHelp("Model folder: Hugging Face GPT-2/LLaMA (config.json + model.safetensors) or a NextToken checkpoint.",
                               valueName: "dir"))
    public var modelPath: String

    @Option(name: .customLong("tokenizer"),
            help: ArgumentHelp("Tokenizer folder (vocab.json + merges.txt, tokenizer.json, characters.json or words.json); default: the model folder.",
                               valueName: "dir"))
    public var tokenizerPath: String?

    @Option(help: ArgumentHelp("Run a rotary (llama) model on F times its trained context: pi:F (position interpolation) or ntk:F (NTK-aware), F >= 1.",
                               valueName: "method:F"))
    public var ropeScaling: RoPEScaling?

    /// No paths until parsed.
    public init() {}

    /// The model folder.
    public var modelURL: URL { URL(fileURLWithPath: modelPath, isDirectory: true) }

    /// Checks that `--model` (and `--tokenizer`, if given) are existing folders.
    public func validate() throws {
        do {
            try CommandFailure.requireDirectory(modelURL, option: "--model", expecting: "config.json and model.safetensors")
            if let tokenizerPath {
                try CommandFailure.requireDirectory(URL(fileURLWithPath: tokenizerPath), option: "--tokenizer",
                                                    expecting: TokenizerFolder.expectedFiles)
            }
        } catch let failure as CommandFailure {
            throw ValidationError(failure.description)
        }
    }

    /// Loads the weights (reporting the time on stderr), with `--rope-scaling` applied.
    public func loadModel() throws -> DecoderTransformer {
        var scalingFailure: (any Error)?
        let model = try Console.timed("loaded \(modelPath)") {
            try DecoderTransformer.load(from: modelURL, adjusting: ropeScaling.map { scaling in
                { configuration in
                    do { try scaling.extend(&configuration) } catch { scalingFailure = error }
                }
            })
        }
        if let scalingFailure { throw scalingFailure }
        return model
    }

    /// The tokenizer from `--tokenizer` (which must hold one) or the model folder (which may not).
    public func loadTokenizer() throws -> (any Tokenizer)? {
        if let tokenizerPath {
            let folder = URL(fileURLWithPath: tokenizerPath, isDirectory: true)
            guard let tokenizer = try TokenizerFolder.load(from: folder) else {
                throw CommandFailure("--tokenizer \(tokenizerPath): no tokenizer files (\(TokenizerFolder.expectedFiles))")
            }
            return tokenizer
        }
        return try TokenizerFolder.load(from: modelURL)
    }
}
