// custom-application: a new application on the NextToken core in one file, using every
// plug-in point of docs/adding-an-application.md: its own `Tokenizer` (the symbols of sums),
// the transformer trained on its own sequences with a loss on the answer only, a
// `LogitsProcessor` that is a grammar (after "=" only digits, then the end), and the
// generator's samplers. The task: learn to add two numbers, and report exact-match accuracy
// on held-out sums. Numbers have fixed widths (operands 3 digits, the answer 4) and answers are
// written least significant digit first, which lets a causal model carry as it goes (common
// tricks for arithmetic with transformers).
//
//   swift run -c release custom-application [steps] [seed]

import Autograd
import Foundation
import Generation
import NeuralNetworks
import Tensors
import Tokenizers
import Training

/// Plug-in point 1: the domain's symbols <-> token ids.
struct SumTokenizer: Tokenizer {
    static let symbols = Array("0123456789+=") + ["$"]   // "$" ends the answer
    var vocabularySize: Int { Self.symbols.count }
    var specialTokens: [String] { ["$"] }
    static let plus = 10, equals = 11, end = 12

    func encode(_ text: String) throws -> [Int] {
        try text.map { character in
            guard let id = Self.symbols.firstIndex(of: character) else { throw ExampleError("'\(character)' is not part of a sum") }
            return id
        }
    }
    func decode(_ ids: [Int]) throws -> String {
        String(try ids.map { id in
            guard Self.symbols.indices.contains(id) else { throw TokenizerError.unknownTokenID(id, vocabularySize: vocabularySize) }
            return Self.symbols[id]
        })
    }
    func token(for id: Int) -> String? { Self.symbols.indices.contains(id) ? String(Self.symbols[id]) : nil }
    func id(for token: String) -> Int? { token.count == 1 ? Self.symbols.firstIndex(of: token.first!) : nil }
    func specialTokenID(_ name: String) -> Int? { name == "$" ? Self.end : nil }
}

/// Plug-in point 2: a grammar. An answer is exactly `digits` digits, then the end token.
struct AnswerGrammar: LogitsProcessor {
    let digits: Int
    func process(_ logits: inout [Float], context: [Int]) throws {
        let written = context.count - 1 - (context.lastIndex(of: SumTokenizer.equals) ?? context.count - 1)
        for id in logits.indices {
            let allowed = written < digits ? id < 10 : id == SumTokenizer.end
            if !allowed { logits[id] = -.infinity }
        }
    }
}

/// Zero-padded digits of `value`, `width` of them.
func digits(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// "aaa+bbb=" and the four digits of a + b, least significant first, then "$".
func sum(_ a: Int, _ b: Int) -> (prompt: String, answer: String) {
    ("\(digits(a, 3))+\(digits(b, 3))=", String(digits(a + b, 4).reversed()) + "$")
}

func main() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let steps = Int(arguments.first ?? "2000"), steps >= 0 else { throw ExampleError("steps: expected a non-negative number") }
    guard let seed = UInt64(arguments.dropFirst().first ?? "1") else { throw ExampleError("seed: expected a non-negative number") }
    let tokenizer = SumTokenizer()
    let limit = 1000   // operands in 0..<1000: 1,000,000 sums, 2,000 held out
    var generator = SeededGenerator(seed: seed)
    var heldOut = Set<Int>()
    while heldOut.count < 2000 { heldOut.insert(Int(generator.next() % UInt64(limit * limit))) }

    // Plug-in point 3: the model. A small LLaMA-flavour decoder sized for the task.
    var configuration = DecoderConfiguration()
    configuration.flavor = .llama
    (configuration.vocabularySize, configuration.contextLength) = (tokenizer.vocabularySize, 16)
    (configuration.hiddenSize, configuration.layerCount, configuration.headCount) = (96, 3, 4)
    let model = try DecoderTransformer(configuration: configuration, generator: &generator)
    print("\(model.parameterCount) parameters")

    // Training on the answer only: prompt positions get the ignore index -100.
    func batch(_ size: Int, _ generator: inout SeededGenerator) throws -> ([[Int]], [Int]) {
        var inputs: [[Int]] = [], targets: [Int] = []
        while inputs.count < size {
            let index = Int(generator.next() % UInt64(limit * limit))
            if heldOut.contains(index) { continue }
            let (prompt, answer) = sum(index / limit, index % limit)
            let tokens = try tokenizer.encode(prompt + answer)
            let padded = tokens + Array(repeating: SumTokenizer.end, count: configuration.contextLength + 1 - tokens.count)
            inputs.append(Array(padded.dropLast()))
            targets += padded.dropFirst().enumerated().map { $0.offset + 1 < prompt.count || $0.offset + 1 >= tokens.count ? -100 : $0.element }
        }
        return (inputs, targets)
    }
    var training = TrainingConfiguration()
    training.steps = steps
    (training.learningRate, training.minimumLearningRate, training.warmupSteps) = (2e-3, 2e-4, min(100, steps / 10))
    (training.logInterval, training.checkpointInterval, training.seed) = (100, 0, seed)
    let trainer = try Trainer(parameters: try ParameterSet(model.parameters), configuration: training)
    try trainer.train(step: { _, _, generator in
        let (inputs, targets) = try batch(64, &generator)
        let logits = try model.logits(tokens: inputs).reshaped([-1, configuration.vocabularySize])
        return (try logits.crossEntropy(targets: targets, ignoreIndex: -100), targets.filter { $0 >= 0 }.count)
    })

    // Plug-in point 4: generation with the grammar, greedy, all held-out sums as one batch.
    var settings = GenerationSettings()
    settings.mode = .greedy
    settings.maxNewTokens = 5
    settings.stopTokens = [SumTokenizer.end]
    let cases = heldOut.sorted().map { ($0 / limit, $0 % limit) }
    let prompts = try cases.map { try tokenizer.encode(sum($0.0, $0.1).prompt) }
    let start = Date()
    let results = try TokenGenerator(model: model).generate(
        prompts: prompts, settings: settings, processors: [LogitsProcessorFactory(AnswerGrammar(digits: 4))])
    let seconds = Date().timeIntervalSince(start)
    var correct = 0
    for ((a, b), result) in zip(cases, results) {
        if try tokenizer.decode(result.tokens) + "$" == sum(a, b).answer { correct += 1 }
    }
    for ((a, b), result) in zip(cases, results).prefix(5) {
        print("\(a) + \(b) = \(Int(String(try tokenizer.decode(result.tokens).reversed())) ?? -1)")
    }
    print(String(format: "held-out exact match: %d of %d (%.1f%%), %.0f sums/s", correct, cases.count,
                 100 * Double(correct) / Double(cases.count), Double(cases.count) / seconds))
}

struct ExampleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
