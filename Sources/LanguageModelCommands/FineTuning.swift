import ArgumentParser
import Autograd
import Commands
import Foundation
import NeuralNetworks
import Tensors
import Tokenizers

/// Fine-tuning in `lm train`: `--init-from DIR` starts from a model folder's weights and
/// tokenizer; `--lora-rank R` (and `--lora-alpha A`) trains LoRA adapters on every linear
/// layer instead of every weight, merged into the saved model so that `lm generate` runs it
/// as any other.
///
/// ```sh
/// nexttoken lm train --data notes.txt -o runs/tuned --init-from Tests/Fixtures/llama-tiny --lora-rank 8 --steps 200
/// ```
extension LanguageModelRun {
    /// The run's model: a new one of shape ``decoder``, or the ``initFrom`` model with LoRA
    /// adapters attached (seeded with `seed`) when ``lora`` is set.
    func makeModel(generator: inout SeededGenerator, seed: UInt64) throws -> DecoderTransformer {
        guard let initFrom else { return try DecoderTransformer(configuration: decoder, generator: &generator) }
        let model = try Console.timed("loaded \(initFrom)") { try DecoderTransformer.load(from: URL(fileURLWithPath: initFrom, isDirectory: true)) }
        guard model.configuration == decoder else {
            throw CommandFailure("--init-from \(initFrom): the model's configuration differs from the one recorded in \(Self.fileName)")
        }
        if let lora {
            let attached = try LoRA.attach(to: model, rank: lora.rank, alpha: lora.alpha, seed: seed)
            Console.progress("LoRA: rank \(lora.rank), alpha \(lora.alpha) on \(attached.count) linear layers")
        }
        return model
    }

    /// What the trainer updates: every weight, or only the LoRA adapters.
    func trainedParameters(of model: DecoderTransformer) -> [Variable] {
        lora == nil ? model.parameters : LoRA.adapterParameters(of: model).map(\.variable)
    }

    /// Adds trained LoRA adapters into their weights (nothing to do without ``lora``).
    func mergeAdapters(into model: DecoderTransformer) throws {
        guard lora != nil else { return }
        try LoRA.merge(model)
        model.assignParameterNames()
    }
}

extension TrainCommand {
    /// Rejects LoRA options without `--init-from`, a rank below 1, a non-positive alpha and
    /// an `--init-from` that is not a folder.
    func validateFineTuning() throws {
        if let loraRank {
            guard initFrom != nil else { throw ValidationError("--lora-rank adapts a trained model: give --init-from DIR") }
            guard loraRank >= 1 else { throw ValidationError("--lora-rank: must be >= 1, got \(loraRank)") }
        }
        if let loraAlpha {
            guard loraRank != nil else { throw ValidationError("--lora-alpha needs --lora-rank") }
            guard loraAlpha.isFinite, loraAlpha > 0 else { throw ValidationError("--lora-alpha: must be > 0, got \(loraAlpha)") }
        }
        if let initFrom {
            do {
                try CommandFailure.requireDirectory(URL(fileURLWithPath: initFrom), option: "--init-from", expecting: "config.json and model.safetensors")
            } catch let failure as CommandFailure {
                throw ValidationError(failure.description)
            }
        }
    }

    /// The run of a fine-tuning: the `--init-from` model's shape and tokenizer.
    func fineTuningRun(from folder: String) throws -> (LanguageModelRun, any Tokenizer) {
        let url = URL(fileURLWithPath: folder, isDirectory: true)
        let configURL = url.appendingPathComponent("config.json")
        let decoder: DecoderConfiguration
        do {
            decoder = try DecoderConfiguration(checkpointJSON: Data(contentsOf: configURL), file: configURL.path)
            try decoder.validate()
        } catch {
            throw CommandFailure("--init-from \(folder): \(ErrorMessage.describe(error))")
        }
        guard let tokenizer = try TokenizerFolder.load(from: url) else {
            throw CommandFailure("--init-from \(folder): no tokenizer files (\(TokenizerFolder.expectedFiles)) to read the text with")
        }
        let context = training.context ?? min(decoder.contextLength, 256)
        if context > decoder.contextLength {
            throw CommandFailure.option("--context", "\(context) exceeds the context of \(decoder.contextLength) tokens of --init-from \(folder)")
        }
        let kind: LanguageModelRun.TokenizerKind = tokenizer is CharacterTokenizer ? .character : .bpe
        let run = LanguageModelRun(decoder: decoder, tokenizer: kind, context: context, batchSize: training.batchSize ?? 16,
                                   validationFraction: validationFraction, initFrom: url.standardizedFileURL.path,
                                   lora: loraRank.map { .init(rank: $0, alpha: loraAlpha ?? Float($0)) })
        return (run, tokenizer)
    }
}
