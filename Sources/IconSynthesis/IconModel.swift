import FileIO
import Foundation
import NeuralNetworks
import Tensors

/// A trained icon model: the decoder transformer plus its ``IconTokenizer``, stored as a
/// folder (`config.json`, `model.safetensors`, `tokenizer.json`).
///
/// ```swift
/// let model = try IconModel.load(from: URL(fileURLWithPath: "assets/icons"))
/// let synthesizer = IconSynthesizer(model: model)
/// ```
public final class IconModel {
    /// The decoder; its vocabulary size equals the tokenizer's.
    public let transformer: DecoderTransformer
    /// The icon vocabulary.
    public let tokenizer: IconTokenizer
    /// The tokenizer's file name inside a model folder.
    public static let tokenizerFileName = "tokenizer.json"

    /// Pairs a transformer with its tokenizer.
    ///
    /// - Throws: ``IconError/invalidArgument(name:detail:)`` when their vocabulary sizes differ.
    public init(transformer: DecoderTransformer, tokenizer: IconTokenizer) throws {
        guard transformer.configuration.vocabularySize == tokenizer.vocabularySize else {
            throw IconError.invalidArgument(
                name: "vocabularySize",
                detail: "model has \(transformer.configuration.vocabularySize) tokens, tokenizer \(tokenizer.vocabularySize)")
        }
        self.transformer = transformer
        self.tokenizer = tokenizer
    }

    /// A freshly initialised (untrained) model for `tokenizer`.
    public convenience init(configuration: DecoderConfiguration, tokenizer: IconTokenizer, seed: UInt64) throws {
        var configuration = configuration
        configuration.vocabularySize = tokenizer.vocabularySize
        var generator = SeededGenerator(seed: seed)
        try self.init(transformer: DecoderTransformer(configuration: configuration, generator: &generator), tokenizer: tokenizer)
    }

    /// The longest token sequence the model reads.
    public var contextLength: Int { transformer.configuration.contextLength }

    /// Loads a model folder; `adjust` may change settings of its configuration that are not
    /// its shape (such as the training dropout).
    ///
    /// - Throws: ``IconError/invalidFile(path:detail:)`` when the folder or its tokenizer is
    ///   missing or does not match; model errors name the tensor at fault.
    public static func load(from folder: URL, adjusting adjust: ((inout DecoderConfiguration) -> Void)? = nil) throws -> IconModel {
        // A save killed between its two renames leaves the old model aside.
        let directory = AtomicWrite.resolvedFolder(folder)
        let tokenizerURL = directory.appendingPathComponent(tokenizerFileName)
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw IconError.invalidFile(path: directory.path, detail: "is not an icon model folder (no \(tokenizerFileName)); train one with `icons train`")
        }
        let tokenizer: IconTokenizer
        do { tokenizer = try JSONDecoder().decode(IconTokenizer.self, from: Data(contentsOf: tokenizerURL)) } catch {
            throw IconError.invalidFile(path: tokenizerURL.path, detail: "unreadable tokenizer (\(error))")
        }
        return try IconModel(transformer: DecoderTransformer.load(from: directory, adjusting: adjust), tokenizer: tokenizer)
    }

    /// Replaces the folder as a whole with `FileIO.AtomicWrite.replaceFolder(_:_:)` (a staged
    /// sibling, flushed, then swapped in by renames), so it holds the old model or the new
    /// one, never a mix.
    public func save(to directory: URL, halfPrecision: Bool) throws {
        try AtomicWrite.replaceFolder(directory) { staging in
            try transformer.save(to: staging, halfPrecision: halfPrecision)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicWrite.data(encoder.encode(tokenizer), to: staging.appendingPathComponent(Self.tokenizerFileName))
        }
    }
}
