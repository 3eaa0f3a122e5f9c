import Foundation
import SafeTensors
import Tensors

extension BertEncoder {
    /// Loads the encoder of a Hugging Face BERT folder as it is: `config.json` (`model_type`
    /// `"bert"`) and `model.safetensors` (or a sharded index), tensors named as `BertModel`
    /// saves them (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …)
    /// or with the `bert.` prefix of task models, stored as F32, F16 or BF16. Tensors the
    /// encoder does not use (the pooler, a task head, `position_ids`) are ignored.
    ///
    /// - Throws: ``ModelError/unsupportedModel(file:detail:)`` naming `config.json` and the
    ///   field for a folder that is not a BERT encoder; ``ModelError/missingTensor(name:file:)``
    ///   and ``ModelError/tensorShapeMismatch(name:expected:found:file:)`` naming the tensor;
    ///   `SafeTensorsError` for a damaged weights file.
    public static func load(from directory: URL) throws -> BertEncoder {
        let configFile = directory.appendingPathComponent(CheckpointFolder.configFileName)
        guard FileManager.default.fileExists(atPath: configFile.path) else {
            throw ModelError.unsupportedModel(file: configFile.path, detail: "no such file; a BERT encoder folder holds config.json and model.safetensors")
        }
        let c = try BertEncoderConfiguration.read(from: configFile)
        let folder = CheckpointFolder(directory: directory)
        let weights = try folder.openWeights()
        let file = (try? folder.weightsFiles().first?.path) ?? directory.path
        let prefix = weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            let fullName = prefix + name
            guard weights.contains(fullName) else { throw ModelError.missingTensor(name: fullName, file: file) }
            let found = try weights.info(fullName).shape
            guard found == shape else { throw ModelError.tensorShapeMismatch(name: fullName, expected: shape, found: found, file: file) }
            return Tensor(shape: shape, values: try weights.floats(fullName))
        }
        let (h, f) = (c.hiddenSize, c.intermediateSize)
        let blocks = try (0..<c.layerCount).map { layer -> Block in
            let p = "encoder.layer.\(layer)."
            let qkvWeight = try Tensor.concatenate(
                ["query", "key", "value"].map { try tensor(p + "attention.self.\($0).weight", [h, h]) }, axis: 0)
            let qkvBias = try Tensor.concatenate(
                ["query", "key", "value"].map { try tensor(p + "attention.self.\($0).bias", [h]) }, axis: 0)
            return Block(
                qkvWeight: qkvWeight, qkvBias: qkvBias,
                attentionOutputWeight: try tensor(p + "attention.output.dense.weight", [h, h]),
                attentionOutputBias: try tensor(p + "attention.output.dense.bias", [h]),
                attentionNormWeight: try tensor(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try tensor(p + "attention.output.LayerNorm.bias", [h]),
                intermediateWeight: try tensor(p + "intermediate.dense.weight", [f, h]),
                intermediateBias: try tensor(p + "intermediate.dense.bias", [f]),
                outputWeight: try tensor(p + "output.dense.weight", [h, f]),
                outputBias: try tensor(p + "output.dense.bias", [h]),
                outputNormWeight: try tensor(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try tensor(p + "output.LayerNorm.bias", [h]))
        }
        return BertEncoder(
            configuration: c,
            wordEmbeddings: try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h]),
            positionEmbeddings: try tensor("embeddings.position_embeddings.weight", [c.maximumPositions, h]),
            tokenTypeEmbeddings: try tensor("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h]),
            embeddingNormWeight: try tensor("embeddings.LayerNorm.weight", [h]),
            embeddingNormBias: try tensor("embeddings.LayerNorm.bias", [h]),
            blocks: blocks)
    }
}
