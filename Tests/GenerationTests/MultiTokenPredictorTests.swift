import Generation
import NeuralNetworks
import Testing
import Tensors
import Training

/// Multi-token heads: verified guesses never change the output; trained heads get accepted.
struct MultiTokenPredictorTests {
    static func model(seed: UInt64) throws -> DecoderTransformer {
        var c = DecoderConfiguration()
        (c.flavor, c.vocabularySize, c.contextLength, c.hiddenSize, c.layerCount, c.headCount, c.intermediateSize) = (.llama, 12, 128, 32, 2, 4, 64)
        c.tiedEmbeddings = false
        var generator = SeededGenerator(seed: seed)
        return try DecoderTransformer(configuration: c, generator: &generator)
    }

    @Test func untrainedHeadsKeepTheGreedyOutput() throws {
        let model = try Self.model(seed: 1)
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 25
        let reference = try TokenGenerator(model: model).generate(prompt: [1, 2, 3], settings: settings).tokens
        let predictor = try MultiTokenPredictor(model: model, count: 3)
        let (tokens, statistics) = try predictor.generate(prompt: [1, 2, 3], maxNewTokens: 25)
        #expect(tokens == reference)
        #expect(statistics.steps <= 25)
    }

    @Test func trainedHeadsAreAcceptedAndOutputIsUnchanged() throws {
        // A periodic sequence the model learns quickly; then the heads learn to look ahead.
        let model = try Self.model(seed: 2)
        let period = Array(0..<10)
        let windows = (0..<4).map { offset in (0..<32).map { period[($0 + offset) % 10] } }
        let optimizer = AdamW(parameters: try ParameterSet(model.parameters), hyperparameters: .init(weightDecay: 0))
        for _ in 0..<60 {
            let loss = try model.logits(tokens: windows.map { Array($0.dropLast()) }).reshaped([-1, 12])
                .crossEntropy(targets: windows.flatMap { Array($0.dropFirst()) })
            model.zeroGradients()
            try loss.backward()
            optimizer.step(learningRate: 1e-2)
        }
        let predictor = try MultiTokenPredictor(model: model, count: 3)
        let headOptimizer = AdamW(parameters: try ParameterSet(predictor.headParameters), hyperparameters: .init(weightDecay: 0))
        var first: Float = 0, last: Float = 0
        for step in 0..<60 {
            let loss = try predictor.loss(windows: windows)
            if step == 0 { first = loss.value.scalar }
            last = loss.value.scalar
            predictor.zeroGradients()
            try loss.backward()
            headOptimizer.step(learningRate: 1e-2)
        }
        #expect(last < first / 2)
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 30
        let reference = try TokenGenerator(model: model).generate(prompt: [3, 4, 5], settings: settings).tokens
        let (tokens, statistics) = try predictor.generate(prompt: [3, 4, 5], maxNewTokens: 30)
        #expect(tokens == reference)
        #expect(Double(statistics.acceptedGuesses) / Double(max(statistics.proposedGuesses, 1)) > 0.5)
        #expect(statistics.tokensPerStep(tokens.count) > 2)
    }
}
