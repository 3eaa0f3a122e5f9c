import Foundation
import NeuralNetworks
import SafeTensors
import Tensors

/// One model in one file: a module's parameters in safetensors with its JSON configuration
/// in the header metadata (`"images.kind"`, `"images.configuration"`).
///
/// ```swift
/// try ModelFile.save(tokenizer, kind: "image-tokenizer", configuration: tokenizer.configuration, to: url)
/// let (configuration, file) = try ModelFile.open(url, kind: "image-tokenizer", as: TokenizerConfiguration.self)
/// ```
public enum ModelFile {
    static let kindKey = "images.kind", configurationKey = "images.configuration"

    /// Writes `module`'s parameters (F16 when `halfPrecision`) atomically.
    public static func save<C: Encodable>(_ module: Module, kind: String, configuration: C, to url: URL, halfPrecision: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var writer = try SafeTensorsWriter(path: url.path, metadata: [kindKey: kind, configurationKey: json])
        for (name, parameter) in module.namedParameters() {
            try writer.add(name, shape: parameter.shape, values: parameter.value.scalars, as: halfPrecision ? .f16 : .f32)
        }
        try writer.write()
    }

    /// Opens `url`, checks that it holds a `kind` model and decodes its configuration.
    ///
    /// - Returns: the configuration and the open file, for ``loadParameters(into:from:)``.
    /// - Throws: ``ImageDataError`` naming the file when it is missing, of another kind, or its
    ///   configuration does not decode; safetensors errors for a damaged file.
    public static func open<C: Decodable>(_ url: URL, kind: String, as type: C.Type) throws -> (configuration: C, file: SafeTensorsFile) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ImageDataError.unreadableFile(path: url.path, detail: "no such file")
        }
        let file = try SafeTensorsFile(url: url)
        guard let found = file.metadata[kindKey] else {
            throw ImageDataError.invalidModel(path: url.path, detail: "no '\(kindKey)' metadata: not a model written by `images`")
        }
        guard found == kind else {
            throw ImageDataError.invalidModel(path: url.path, detail: "holds a \(found), expected a \(kind)")
        }
        do {
            let configuration = try JSONDecoder().decode(C.self, from: Data((file.metadata[configurationKey] ?? "").utf8))
            return (configuration, file)
        } catch {
            throw ImageDataError.invalidModel(path: url.path, detail: "metadata '\(configurationKey)': \(error)")
        }
    }

    /// Copies every parameter of `module` from `file`, checking names and shapes.
    public static func loadParameters(into module: Module, from file: SafeTensorsFile) throws {
        for (name, parameter) in module.namedParameters() {
            guard file.contains(name) else { throw ImageDataError.invalidModel(path: file.path, detail: "missing tensor '\(name)'") }
            let info = try file.info(name)
            guard info.shape == parameter.shape else {
                throw ImageDataError.invalidModel(path: file.path, detail: "tensor '\(name)' has shape \(info.shape), expected \(parameter.shape)")
            }
            let values = try file.floats(name)
            let pointer = parameter.value.storage.pointer + parameter.value.offset
            for i in 0..<values.count { pointer[i] = values[i] }
        }
    }
}

extension ImageTokenizer {
    static let fileKind = "image-tokenizer"

    /// Saves the tokenizer to one safetensors file.
    public func save(to url: URL, halfPrecision: Bool = false) throws {
        try ModelFile.save(self, kind: Self.fileKind, configuration: configuration, to: url, halfPrecision: halfPrecision)
    }

    /// Loads a tokenizer saved by ``save(to:halfPrecision:)``.
    public static func load(from url: URL) throws -> ImageTokenizer {
        let (configuration, file) = try ModelFile.open(url, kind: fileKind, as: TokenizerConfiguration.self)
        var generator = SeededGenerator(seed: 0)
        let tokenizer = try ImageTokenizer(configuration: configuration, generator: &generator)
        try ModelFile.loadParameters(into: tokenizer, from: file)
        return tokenizer
    }
}
