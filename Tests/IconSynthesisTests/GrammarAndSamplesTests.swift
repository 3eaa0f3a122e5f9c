import Foundation
import Generation
import IconSynthesis
import NeuralNetworks
import Rendering
import Tensors
import Testing

func randomIconModel(words: [String] = ["camera", "heart", "star"], gridSize: Int = 32, context: Int = 96, seed: UInt64 = 3) throws -> IconModel {
    var configuration = DecoderConfiguration()
    configuration.flavor = .llama
    configuration.layerCount = 1
    configuration.hiddenSize = 32
    configuration.headCount = 2
    configuration.contextLength = context
    return try IconModel(configuration: configuration, tokenizer: IconTokenizer(gridSize: gridSize, words: words), seed: seed)
}

/// `count` icons sampled for `text` with `seed` and `temperature` (top-p 0.95).
func sampleIcons(_ synthesizer: IconSynthesizer, text: String, count: Int, seed: UInt64, temperature: Float) throws -> [GeneratedIcon] {
    var options = IconSamplingOptions()
    options.seed = seed
    options.temperature = temperature
    return try synthesizer.generate(text: text, count: count, options: options)
}

@Suite struct GrammarAndSamplesTests {
    @Test func everySampleOfAnUntrainedModelParsesAndRenders() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel())
        var options = IconSamplingOptions()
        options.temperature = 1.5   // flatter than trained: more chances to break the grammar
        options.topP = nil
        var samples = 0
        for seed in 0..<4 as Range<UInt64> {
            options.seed = seed * 100
            for icon in try synthesizer.generate(text: seed % 2 == 0 ? "camera" : nil, count: 8, options: options) {
                samples += 1
                #expect(icon.tokens.last == IconTokenizer.endOfIcon)
                // Parse the serialised SVG with our parser and render it with librsvg.
                #expect(try synthesizer.model.tokenizer.decode(icon.tokens) == icon.icon)
                _ = try SVGRenderer.render(icon.icon.svgData(), size: 32)
                #expect(icon.tokens.count <= 96)
            }
        }
        #expect(samples == 32)
    }

    @Test func withoutTheGrammarARandomModelBreaksTheSyntax() throws {
        // The control: the same model sampled without the processor rarely yields a valid icon.
        let model = try randomIconModel()
        var settings = GenerationSettings()
        settings.maxNewTokens = 60
        settings.stopTokens = [IconTokenizer.endOfIcon]
        settings.temperature = 1.5
        var valid = 0
        for seed in 0..<16 as Range<UInt64> {
            settings.seed = seed
            let tokens = try TokenGenerator(model: model.transformer).generate(prompt: model.tokenizer.prompt(text: "star"), settings: settings).tokens
            if let icon = try? model.tokenizer.decode(tokens + [IconTokenizer.endOfIcon]), !icon.paths.isEmpty { valid += 1 }
        }
        #expect(valid < 4)
    }

    @Test func grammarForcesTheIconToEndInsideTheContext() throws {
        let tokenizer = IconTokenizer(gridSize: 8, words: [])
        var grammar = IconGrammar(tokenizer: tokenizer)
        for token in [IconTokenizer.bos, IconTokenizer.separator, IconTokenizer.moveTo, tokenizer.xBase, tokenizer.yBase] {
            try grammar.advance(token)
        }
        // After M x y with room for exactly L x y EOP EOI, only L fits (a C would overflow).
        #expect(grammar.allowedTokens(budget: 5) == [IconTokenizer.lineTo])
        #expect(Set(grammar.allowedTokens(budget: 9)) == [IconTokenizer.lineTo, IconTokenizer.cubicTo])
        #expect(throws: IconError.self) { try grammar.advance(IconTokenizer.endOfPath) }
        try grammar.advance(IconTokenizer.lineTo)
        #expect(grammar.allowedTokens(budget: 10) == Array(tokenizer.xBase..<tokenizer.yBase))
    }

    @Test func fillInTheMiddleSequenceMovesOnePathBehindMasks() throws {
        let tokenizer = IconTokenizer(gridSize: 10, words: ["cat"])
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let p0 = [3, 12, 22, 4, 13, 23, 6], p1 = [3, 14, 24, 4, 15, 25, 6], p2 = [3, 16, 26, 4, 17, 27, 6]
        let svg = p0 + p1 + p2 + [IconTokenizer.endOfIcon]
        #expect(builder.pathRuns(svg) == [p0, p1, p2])
        let text = tokenizer.encodeText("cat")
        let fim = builder.fillInTheMiddle(text: text, svgTokens: svg, path: 1)
        let expected = [IconTokenizer.bos] + text + [IconTokenizer.separator] + p0 + [IconTokenizer.mask] + p2
            + [IconTokenizer.endOfIcon, IconTokenizer.mask] + p1 + [IconTokenizer.endOfMask]
        #expect(fim == expected)
        // The grammar accepts fill-in-the-middle sequences and finishes after end-of-mask.
        var grammar = IconGrammar(tokenizer: tokenizer)
        for token in fim { try grammar.advance(token) }
        #expect(grammar.isFinished)
        // Weights: text targets 1, SVG and mask targets 7.
        let weights = builder.weights(for: fim)
        #expect(weights.count == fim.count - 1)
        #expect(weights[0] == 1 && weights[1] == 1 && weights[2] == 7 && weights.last == 7)
    }

    @Test func randomSequencesMixPlainFillInTheMiddleAndUnconditional() throws {
        let tokenizer = IconTokenizer(gridSize: 10, words: ["cat", "dog"])
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let svg = [3, 12, 22, 4, 13, 23, 6, 3, 14, 24, 4, 15, 25, 6, IconTokenizer.endOfIcon]
        let entry = IconDataset.Entry(name: "cat", source: "cat.svg", keywords: ["cat", "dog"], tokens: svg)
        var generator = SeededGenerator(seed: 5)
        var fim = 0, unconditional = 0
        let n = 2000
        for _ in 0..<n {
            let sample = builder.sequence(for: entry, using: &generator)
            #expect(sample.weights.count == sample.tokens.count - 1)
            if sample.tokens.contains(IconTokenizer.mask) { fim += 1 }
            if sample.tokens[1] == IconTokenizer.separator { unconditional += 1 }
        }
        // Rates 0.25 and 0.1; binomial standard deviations about 0.0097 and 0.0067: 5 sigma.
        #expect(abs(Double(fim) / Double(n) - 0.25) < 0.05)
        #expect(abs(Double(unconditional) / Double(n) - 0.1) < 0.034)
        let batch = IconSequenceBuilder.batch([builder.sequence(for: entry, using: &generator), IconTrainingSequence(tokens: [1, 2, 3], weights: [1, 7])])
        #expect(batch.inputs[0].count == batch.inputs[1].count)
        #expect(batch.targets.count == batch.weights.count)
        #expect(batch.targets.suffix(batch.inputs[1].count - 2).allSatisfy { $0 == -100 })
    }

    @Test func editAndCompleteKeepTheGivenPathsOfAnIcon() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel(gridSize: 32, context: 128))
        let source = try IconQuantizer(gridSize: 32).quantize(SVGParser.parse(Data(
            "<svg viewBox='0 0 32 32'><rect x='2' y='2' width='10' height='10'/><rect x='20' y='20' width='8' height='8'/><path d='M2 20L10 30L2 30Z'/></svg>".utf8),
            file: "three.svg")[0].paths)
        var options = IconSamplingOptions()
        options.seed = 9
        for edited in try synthesizer.edit(source, pathIndex: 1, text: "star", count: 4, options: options) {
            #expect(edited.icon.paths.count == 3)
            #expect(edited.icon.paths[0] == source.paths[0] && edited.icon.paths[2] == source.paths[2])
        }
        for completed in try synthesizer.complete(source, text: nil, count: 4, options: options) {
            #expect(Array(completed.icon.paths.prefix(3)) == source.paths)
        }
        let blended = try synthesizer.interpolate("camera", "heart star", steps: 3, options: options)
        #expect(blended.count == 3)
        #expect(throws: IconError.self) { try synthesizer.edit(source, pathIndex: 3, text: nil, count: 1, options: options) }
    }

    @Test func modelFolderRoundTrip() throws {
        let model = try randomIconModel()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("icon-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.save(to: folder, halfPrecision: false)
        try model.save(to: folder, halfPrecision: false)   // replacing an existing folder
        let loaded = try IconModel.load(from: folder)
        #expect(loaded.tokenizer == model.tokenizer)
        var options = IconSamplingOptions()
        options.seed = 4
        let a = try IconSynthesizer(model: model).generate(text: "heart", count: 2, options: options).map(\.tokens)
        let b = try IconSynthesizer(model: loaded).generate(text: "heart", count: 2, options: options).map(\.tokens)
        #expect(a == b)
        #expect(throws: IconError.self) { try IconModel.load(from: folder.appendingPathComponent("missing")) }
    }
}

@Suite struct MetricsTests {
    @Test func frechetDistanceOfGaussians() {
        var generator = SeededGenerator(seed: 1)
        func sample(_ count: Int, shift: Float, scale: Float) -> [[Float]] {
            (0..<count).map { _ in (0..<3).map { _ in Float.random(in: -1...1, using: &generator) * scale + shift } }
        }
        let a = sample(4000, shift: 0, scale: 1), b = sample(4000, shift: 0, scale: 1)
        #expect(abs(FrechetDistance.between(a, b)) < 0.05)
        // Uniform[-1,1] has variance 1/3; shifting by 2 in each of 3 dimensions adds 3 * 4 = 12.
        let shifted = sample(4000, shift: 2, scale: 1)
        #expect(abs(FrechetDistance.between(a, shifted) - 12) < 0.3)
        // Scaling by 2: per dimension (1/3)(1 + 4 - 2*2) = 1/3, so 3 dimensions give 1.
        let wide = sample(4000, shift: 0, scale: 2)
        #expect(abs(FrechetDistance.between(a, wide) - 1) < 0.15)
    }
}
