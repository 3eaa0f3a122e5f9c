import Foundation

extension DecoderConfiguration {
    /// Decodes a checkpoint's `config.json` bytes: the project's own layout (`model_type`
    /// `"nexttoken-decoder"` with a `format_version` and a `decoder` object) or a Hugging Face
    /// GPT-2 / LLaMA config. This is what ``DecoderTransformer/load(from:adjusting:)`` reads
    /// before it builds anything, exposed so a config can be checked (and fuzzed) on its own.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - file: The path to name in errors.
    /// - Throws: ``ModelError/unsupportedModel(file:detail:)`` naming the field at fault. The
    ///   result is decoded, not validated: call ``validate()`` before building a model.
    ///
    /// ```swift
    /// let configuration = try DecoderConfiguration(checkpointJSON: Data(contentsOf: url), file: url.path)
    /// try configuration.validate()
    /// ```
    public init(checkpointJSON data: Data, file: String) throws {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.unsupportedModel(file: file, detail: "not a JSON object")
        }
        try self.init(checkpointObject: json, file: file)
    }

    /// Decodes an already parsed `config.json` object; see ``init(checkpointJSON:file:)``.
    init(checkpointObject json: [String: Any], file: String) throws {
        guard (json["model_type"] as? String) == DecoderTransformer.checkpointModelType else {
            self = try HuggingFaceConfiguration.decoderConfiguration(from: json, file: file)
            return
        }
        guard let version = json["format_version"] as? Int, version == DecoderTransformer.checkpointFormatVersion else {
            throw ModelError.unsupportedModel(
                file: file, detail: "field 'format_version' is \(json["format_version"] ?? "missing"); this build reads version \(DecoderTransformer.checkpointFormatVersion)")
        }
        guard let decoder = json["decoder"] as? [String: Any] else {
            throw ModelError.unsupportedModel(file: file, detail: "field 'decoder' is missing or not an object")
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: decoder)
            self = try JSONDecoder().decode(DecoderConfiguration.self, from: data)
        } catch {
            throw ModelError.unsupportedModel(file: file, detail: "field 'decoder': \(error)")
        }
    }
}
