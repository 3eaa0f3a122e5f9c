// char-lm: train a character-level language model on a text file, then sample from it.
// The shortest complete use of the library: tokenizer -> transformer -> trainer -> generator.
// (A character model as in Karpathy's nanoGPT `shakespeare_char`.)
//
//   swift run -c release char-lm input.txt [steps]

import Autograd
import Foundation
import Generation
import NeuralNetworks
import Tensors
import Tokenizers
import Training

func main() throws {
    let arguments = CommandLine.arguments.dropFirst()
    guard let path = arguments.first else {
        throw CharLMError("usage: char-lm FILE [steps]")
    }
    let steps = arguments.dropFirst().first.map { Int($0) } ?? 300
    guard let steps, steps >= 0 else { throw CharLMError("steps: expected a non-negative number") }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty else {
        throw CharLMError("\(path): cannot read it as non-empty UTF-8 text")
    }

    // 1. One token per character of the text; 90% to train on, the end to validate on.
    let tokenizer = try CharacterTokenizer(corpus: [text])
    let ids = tokenizer.encode(text)
    let split = ids.count * 9 / 10
    let (train, validation) = (Array(ids[..<split]), Array(ids[split...]))
    let context = 64
    guard train.count > context + 1, validation.count > context + 1 else {
        throw CharLMError("\(path): \(ids.count) characters are too few for windows of \(context)")
    }

    // 2. A small GPT: 4 layers of 128, 4 heads.
    var configuration = DecoderConfiguration()
    configuration.vocabularySize = tokenizer.vocabularySize
    configuration.contextLength = context
    configuration.hiddenSize = 128
    configuration.layerCount = 4
    configuration.headCount = 4
    var generator = SeededGenerator(seed: 42)
    let model = try DecoderTransformer(configuration: configuration, generator: &generator)
    print("\(model.parameterCount) parameters, vocabulary \(tokenizer.vocabularySize), \(ids.count) characters")

    // 3. Next-character prediction on random windows: inputs [B, T], targets shifted by one.
    func batch(_ tokens: [Int], size: Int, using generator: inout SeededGenerator) -> ([[Int]], [Int]) {
        let starts = (0..<size).map { _ in Int(generator.next() % UInt64(tokens.count - context - 1)) }
        return (starts.map { Array(tokens[$0..<($0 + context)]) }, starts.flatMap { tokens[($0 + 1)...($0 + context)] })
    }
    func loss(_ inputs: [[Int]], _ targets: [Int]) throws -> Variable {
        let logits = try model.logits(tokens: inputs)                               // [B, T, V]
        return try logits.reshaped([-1, configuration.vocabularySize]).crossEntropy(targets: targets)
    }

    var training = TrainingConfiguration()
    training.steps = steps
    training.learningRate = 1e-3
    training.minimumLearningRate = 1e-4
    training.warmupSteps = min(50, steps / 10)
    training.validationInterval = 100
    training.checkpointInterval = 0                                                // no files
    training.logInterval = 25
    let trainer = try Trainer(parameters: try ParameterSet(model.parameters), configuration: training)
    var validationGenerator = SeededGenerator(seed: 7)
    let validationBatch = batch(validation, size: 32, using: &validationGenerator)
    try trainer.train(
        step: { _, _, generator in
            let (inputs, targets) = batch(train, size: 16, using: &generator)
            return (try loss(inputs, targets), targets.count)
        },
        validate: { try loss(validationBatch.0, validationBatch.1).value.scalar })

    // 4. Sample a continuation of the text's first characters.
    var settings = GenerationSettings()
    settings.temperature = 0.8
    settings.topK = 20
    settings.maxNewTokens = context - 8
    settings.seed = 1
    let prompt = Array(ids.prefix(8))
    let result = try TokenGenerator(model: model).generate(prompt: prompt, settings: settings)
    print(try tokenizer.decode(prompt) + tokenizer.decode(result.tokens))
}

struct CharLMError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
