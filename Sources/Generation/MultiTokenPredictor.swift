import Autograd
import NeuralNetworks
import Tensors

/// Multi-token prediction on a frozen model (Samragh et al. 2025, "Your LLM Knows the Future:
/// Uncovering Its Multi-Token Prediction Potential", sections 2-3, in the Medusa-style
/// form): `k` small heads read the model's final hidden state at position `t` and guess the
/// tokens at `t + 2 ... t + k + 1` (the model's own head guesses `t + 1`). Each head is a
/// residual SiLU layer followed by the model's output head. Decoding feeds the model's next
/// token and the heads' guesses in one pass and keeps the guesses the model itself would
/// have chosen, so the output equals the model's greedy output.
public final class MultiTokenPredictor: Module {
    /// One residual SiLU layer `[C, C]` per extra future token; head `i` guesses the token at `t + i + 2`.
    public let heads: [Linear]
    /// The frozen model whose final hidden states and output head the heads share.
    public let model: DecoderTransformer

    /// Freezes `model`: only the heads train.
    ///
    /// - Parameter count: extra future tokens to guess (k).
    public init(model: DecoderTransformer, count: Int, seed: UInt64 = 0) throws {
        guard count >= 1 else { throw ModelError.invalidConfiguration(field: "heads", detail: "need at least one head") }
        var generator = SeededGenerator(seed: seed)
        let width = model.configuration.hiddenSize
        heads = (0..<count).map { _ in
            let head = Linear(inputSize: width, outputSize: width, bias: true, standardDeviation: 0.02, generator: &generator)
            head.weight.value.scaleInPlace(0)  // start as the identity residual: every head repeats the model's guess
            return head
        }
        self.model = model
        model.freeze()
        for (name, parameter) in namedParameters() where name.hasPrefix("heads.") { parameter.name = name }
    }

    /// The heads' parameters (what training updates).
    public var headParameters: [Variable] { heads.flatMap(\.parameters) }

    /// Logits of head `index` from hidden states `[B, T, C]`.
    func headLogits(_ index: Int, _ hidden: Variable) throws -> Variable {
        try model.logits(fromHidden: hidden + heads[index](hidden).silu())
    }

    /// The training loss of the heads on token windows (the model stays frozen): head `i`
    /// at position `t` predicts the token at `t + i + 2`.
    public func loss(windows: [[Int]]) throws -> Variable {
        let hidden = try Tape.withoutGradient { try model.hiddenStates(.tokens(windows)) }.value
        let frozen = Variable(hidden)
        let time = windows[0].count
        var total: Variable?
        for index in heads.indices {
            let shift = index + 2
            guard time > shift else { break }
            let positions = time - shift
            let logits = try headLogits(index, try frozen.sliced(axis: 1, range: 0..<positions))
            let targets = windows.flatMap { Array($0[shift...]) }
            let loss = try logits.reshaped([-1, model.configuration.vocabularySize]).crossEntropy(targets: targets)
            total = try total.map { try $0 + loss } ?? loss
        }
        guard let total else { throw ModelError.invalidInput(detail: "windows of \(time) tokens are too short for the heads") }
        return total / Float(heads.count)
    }

    /// What one generation measured.
    public struct Statistics: Sendable, Equatable {
        /// Model passes after the prompt's, guesses the heads proposed, and guesses the model confirmed.
        public var steps = 0, acceptedGuesses = 0, proposedGuesses = 0
        /// Tokens produced per model pass.
        public func tokensPerStep(_ tokens: Int) -> Double { Double(tokens) / Double(Swift.max(steps, 1)) }
    }

    /// Greedy generation verified by the model: identical output to plain greedy decoding.
    public func generate(prompt: [Int], maxNewTokens: Int) throws -> (tokens: [Int], statistics: Statistics) {
        guard !prompt.isEmpty else { throw GenerationError.emptyPrompt(sequence: 0) }
        let cache = model.makeCache()
        var hidden = try model.hiddenStates(.tokens([prompt]), caches: [cache]).value
        var last = try hidden.sliced(axis: 1, range: (prompt.count - 1)..<prompt.count)
        var output: [Int] = [], statistics = Statistics()
        func argmax(_ logits: Tensor) throws -> Int { try logits.reshaped([-1]).argmax(axis: 0)[0] }
        while output.count < maxNewTokens {
            // The model's next token, then the heads' guesses after it.
            let next = try argmax(Tape.withoutGradient { try model.logits(fromHidden: Variable(last)) }.value)
            let room = maxNewTokens - output.count - 1
            let guesses = try Tape.withoutGradient { try heads.indices.prefix(room).map { try argmax(headLogits($0, Variable(last)).value) } }
            let base = cache.length
            // One pass over [next] + guesses: position j's logits check guess j.
            hidden = try model.hiddenStates(.tokens([[next] + guesses]), caches: [cache]).value
            statistics.steps += 1
            statistics.proposedGuesses += guesses.count
            var accepted = 0
            for (j, guess) in guesses.enumerated() {
                let row = try hidden.sliced(axis: 1, range: j..<(j + 1))
                guard try argmax(Tape.withoutGradient { try model.logits(fromHidden: Variable(row)) }.value) == guess else { break }
                accepted += 1
            }
            statistics.acceptedGuesses += accepted
            output.append(next)
            output.append(contentsOf: guesses.prefix(accepted))
            cache.truncate(to: base + 1 + accepted)
            last = try hidden.sliced(axis: 1, range: accepted..<(accepted + 1))
        }
        return (Array(output.prefix(maxNewTokens)), statistics)
    }
}
