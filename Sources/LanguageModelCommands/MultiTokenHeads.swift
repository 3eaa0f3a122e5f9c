import Commands
import Foundation
import Generation
import NeuralNetworks
import SafeTensors
import Tensors
import Tokenizers
import Training

/// The multi-token prediction heads of a model folder (`multi-token-heads.safetensors`, see
/// `MultiTokenPredictor`): `lm train --multi-token N` trains them on the finished, frozen
/// model; `lm generate --multi-token --greedy` decodes with them, several tokens per model
/// pass, with exactly the model's greedy output.
///
/// ```sh
/// nexttoken lm train --data input.txt -o runs/mtp --multi-token 3
/// nexttoken lm generate --model runs/mtp --greedy --multi-token "ROMEO:"
/// ```
public enum MultiTokenHeads {
    /// The heads' file inside the model folder.
    public static let fileName = "multi-token-heads.safetensors"

    /// Learning rate of the heads (the model stays frozen).
    static let learningRate: Float = 2e-3

    /// Writes the heads' parameters (`heads.I.weight`, `heads.I.bias`) into `folder`.
    public static func save(_ predictor: MultiTokenPredictor, in folder: URL) throws {
        var writer = try SafeTensorsWriter(path: folder.appendingPathComponent(fileName).path,
                                           metadata: ["multi_token.heads": "\(predictor.heads.count)"])
        for (name, parameter) in predictor.namedParameters() where name.hasPrefix("heads.") {
            try writer.add(name, shape: parameter.shape, values: parameter.value.scalars)
        }
        try writer.write()
    }

    /// The heads saved in `folder` for `model`.
    ///
    /// - Throws: ``CommandFailure`` naming the folder when it has no heads file, or the file
    ///   and tensor when the heads do not fit the model.
    public static func load(for model: DecoderTransformer, from folder: URL) throws -> MultiTokenPredictor {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure.option("--multi-token", "\(folder.path) has no \(fileName); train the heads with `nexttoken lm train --multi-token N`")
        }
        let file = try SafeTensorsFile(url: url)
        guard let count = file.metadata["multi_token.heads"].flatMap(Int.init), count >= 1 else {
            throw CommandFailure("\(url.path): missing metadata 'multi_token.heads'")
        }
        let predictor = try MultiTokenPredictor(model: model, count: count)
        for (name, parameter) in predictor.namedParameters() where name.hasPrefix("heads.") {
            guard file.contains(name) else { throw ModelError.missingTensor(name: name, file: url.path) }
            let shape = try file.info(name).shape
            guard shape == parameter.shape else {
                throw ModelError.tensorShapeMismatch(name: name, expected: parameter.shape, found: shape, file: url.path)
            }
            try parameter.value.copyInPlace(from: Tensor(shape: shape, values: try file.floats(name)))
        }
        return predictor
    }

    /// Trains `count` heads on `model` (frozen) over windows of the training text and returns
    /// them with the last step's loss.
    static func train(model: DecoderTransformer, count: Int, steps: Int, data: TextDataset, batchSize: Int,
                      seed: UInt64) throws -> (predictor: MultiTokenPredictor, loss: Float) {
        let predictor = try MultiTokenPredictor(model: model, count: count, seed: seed)
        let optimizer = AdamW(parameters: try ParameterSet(predictor.headParameters), hyperparameters: .init(weightDecay: 0))
        var generator = SeededGenerator(seed: seed &+ 1)
        var loss: Float = .nan
        for step in 1...steps {
            let windows = data.trainingBatch(size: batchSize, using: &generator).inputs
            let value = try predictor.loss(windows: windows)
            predictor.zeroGradients()
            try value.backward()
            optimizer.step(learningRate: learningRate)
            loss = value.value.scalar
            if step == steps || step % 50 == 0 { Console.progress("multi-token heads: step \(step)/\(steps) loss \(String(format: "%.4f", loss))") }
        }
        return (predictor, loss)
    }
}

extension TrainCommand {
    /// With `--multi-token N`: trains N heads on the trained model and writes them into the
    /// output folder.
    func trainMultiTokenHeads(model: DecoderTransformer, data: TextDataset, batchSize: Int) throws {
        guard let count = multiToken else { return }
        let (predictor, loss) = try MultiTokenHeads.train(model: model, count: count, steps: multiTokenSteps, data: data,
                                                          batchSize: batchSize, seed: seed.seed)
        try MultiTokenHeads.save(predictor, in: training.outputURL)
        Console.progress("multi-token heads: \(count) written to \(MultiTokenHeads.fileName) (loss \(String(format: "%.4f", loss)))")
    }
}

extension GenerateCommand {
    /// Greedy decoding with the model folder's multi-token heads: the model's greedy output,
    /// several tokens per model pass. Stops at the first stop token, as plain decoding does.
    func generateWithHeads(model transformer: DecoderTransformer, prompt: [Int], settings: GenerationSettings,
                           tokenizer: (any Tokenizer)?) throws {
        let predictor = try MultiTokenHeads.load(for: transformer, from: model.modelURL)
        let start = Date()
        let (tokens, statistics) = try predictor.generate(prompt: prompt, maxNewTokens: settings.maxNewTokens)
        let seconds = Date().timeIntervalSince(start)
        let result: GenerationResult
        if let stop = tokens.firstIndex(where: settings.stopTokens.contains) {
            result = GenerationResult(tokens: Array(tokens[..<stop]), finishReason: .stopToken(tokens[stop]))
        } else {
            result = GenerationResult(tokens: tokens, finishReason: .maxNewTokens)
        }
        Console.progress(String(format: "multi-token: %d tokens in %d model passes (%.2f per pass), %d of %d guesses accepted, %.1f tokens/s",
                                tokens.count, statistics.steps, statistics.tokensPerStep(tokens.count), statistics.acceptedGuesses,
                                statistics.proposedGuesses, Double(tokens.count) / max(seconds, 1e-9)))
        try writeResult(prompt: prompt, result: result, tokenizer: tokenizer)
    }
}
