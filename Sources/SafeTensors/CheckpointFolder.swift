import FileIO
import Foundation

/// A Hugging Face style checkpoint folder: `config.json` plus either one
/// `model.safetensors` or shards listed in `model.safetensors.index.json`.
///
/// The config is decoded into a caller-supplied `Decodable` type, so each model family
/// keeps its own typed configuration and this module stays ignorant of it; decoding
/// errors become one-line messages naming the config file and the field.
///
/// ```swift
/// struct GPT2Config: Decodable { let n_embd: Int; let n_layer: Int; let n_head: Int }
/// let folder = CheckpointFolder(directory: URL(fileURLWithPath: "models/gpt2"))
/// let config = try folder.config(GPT2Config.self)
/// let weights = try folder.openWeights()
/// let wte = try weights.floats("transformer.wte.weight")
/// ```
public struct CheckpointFolder: Sendable, Hashable {
    /// The folder.
    public let directory: URL

    /// The single-file weights name Hugging Face's `save_pretrained` uses.
    public static let weightsFileName = "model.safetensors"
    /// The shard index name Hugging Face uses for weights split over several files.
    public static let shardIndexFileName = "model.safetensors.index.json"
    /// The config name Hugging Face uses.
    public static let configFileName = "config.json"

    /// A folder given by its URL.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The folder holding `file`, for reading the `config.json` next to a weights file.
    public init(containing file: URL) {
        directory = file.deletingLastPathComponent()
    }

    /// Decodes `config.json` (or another JSON file in the folder) into `Config`.
    ///
    /// - Parameters:
    ///   - type: The configuration type; use `CodingKeys` or `decoder.keyDecodingStrategy`
    ///     semantics in it to map Hugging Face's snake_case names.
    ///   - fileName: The file inside the folder; `config.json` by default.
    /// - Throws: ``SafeTensorsError`` `.invalidConfig`, for example
    ///   `models/llama/config.json: missing field 'rope_parameters.rope_theta'`.
    public func config<Config: Decodable>(_ type: Config.Type = Config.self,
                                          fileName: String = CheckpointFolder.configFileName) throws -> Config {
        try decodeJSON(type, at: directory.appendingPathComponent(fileName))
    }

    /// The weights files: the shards named by `model.safetensors.index.json` when it
    /// exists, else `model.safetensors`.
    ///
    /// - Throws: ``SafeTensorsError`` `.invalidConfig` for an unreadable index.
    public func weightsFiles() throws -> [URL] {
        let indexURL = directory.appendingPathComponent(Self.shardIndexFileName)
        guard FileManager.default.fileExists(atPath: indexURL.path) else {
            return [directory.appendingPathComponent(Self.weightsFileName)]
        }
        let index = try decodeJSON(ShardIndex.self, at: indexURL)
        let shardNames = Set(index.weightMap.values).sorted()
        for shard in shardNames where shard.contains("/") || shard.isEmpty {
            throw SafeTensorsError(.invalidConfig, path: indexURL.path,
                                   detail: "field 'weight_map': shard name '\(shard)' must be a plain file name in the folder")
        }
        return shardNames.map { directory.appendingPathComponent($0) }
    }

    /// Opens every weights file (one, or all shards) as one set of tensors.
    ///
    /// - Parameter verifyChecksum: Passed to each ``SafeTensorsFile``.
    /// - Throws: ``SafeTensorsError`` from opening a file, or `.invalidConfig` when a tensor
    ///   appears in two shards.
    public func openWeights(verifyChecksum: Bool = true) throws -> SafeTensorsCheckpoint {
        let files = try weightsFiles().map { try SafeTensorsFile(url: $0, verifyChecksum: verifyChecksum) }
        return try SafeTensorsCheckpoint(files: files)
    }

    /// Reads and decodes a JSON file, reporting failures against that file.
    private func decodeJSON<Value: Decodable>(_ type: Value.Type, at url: URL) throws -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError(.invalidConfig, path: url.path,
                                   detail: "cannot read: \((error as NSError).localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw SafeTensorsError(.invalidConfig, path: url.path, detail: error.oneLineDescription)
        } catch {
            throw SafeTensorsError(.invalidConfig, path: url.path, detail: "\(error)")
        }
    }
}

/// `model.safetensors.index.json`: `{"metadata": {...}, "weight_map": {tensor: shard file}}`.
private struct ShardIndex: Decodable {
    let weightMap: [String: String]

    enum CodingKeys: String, CodingKey {
        case weightMap = "weight_map"
    }
}
