import Autograd
import Foundation
import ImageGeneration
import Tensors
import TestSupport
import Testing
import Training

/// Tokenizer shapes, straight-through gradients, sub-token splits, saving.
struct TokenizerTests {
    static func tiny(_ kind: TokenizerConfiguration.Kind) -> TokenizerConfiguration {
        var c = TokenizerConfiguration()
        c.kind = kind
        c.imageSize = 8
        c.hiddenChannels = 4
        c.latentChannels = 4
        c.codebookSize = 8
        c.bitsPerSubToken = 2
        return c
    }

    @Test(arguments: TokenizerConfiguration.Kind.allCases)
    func encodeAndDecodeShapes(kind: TokenizerConfiguration.Kind) throws {
        var g = SeededGenerator(seed: 1)
        let tokenizer = try ImageTokenizer(configuration: Self.tiny(kind), generator: &g)
        let images = Tensor.uniform([3, 1, 8, 8], using: &g)
        let tokens = try tokenizer.encode(images)
        let perImage = 4 * (kind == .binary ? 2 : 1)
        #expect(tokens.count == 3 && tokens.allSatisfy { $0.count == perImage })
        #expect(tokens.joined().allSatisfy { $0 >= 0 && $0 < tokenizer.configuration.subVocabularySize })
        let decoded = try tokenizer.decode(tokens)
        #expect(decoded.shape == [3, 1, 8, 8])
        #expect(decoded.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Decoding the tokens of a decoded batch is deterministic.
        #expect(try tokenizer.encode(images) == tokens)
    }

    @Test func vectorQuantizerPassesGradientStraightThrough() throws {
        var g = SeededGenerator(seed: 2)
        let quantizer = VectorQuantizer(codebookSize: 5, dimension: 3, generator: &g)
        let z = Variable(randomTensor([2, 3, 2, 2], seed: 3), requiresGradient: true)
        let weights = randomTensor([2, 3, 2, 2], seed: 4)
        let (output, indices, _) = try quantizer(z, commitmentWeight: 0.25)
        #expect(indices.count == 8)
        // The output equals the chosen code vectors ...
        let expected = try quantizer.latents(indices: indices, batch: 2, grid: 2)
        expectClose(output.value, expected, atol: 1e-6)
        // ... and d(sum(w * output))/dz = w: the quantiser is the identity for gradients.
        try (output * Variable(weights)).sum().backward()
        expectClose(z.grad!, weights, atol: 1e-6)
    }

    @Test func nearestCodeIsTheClosest() throws {
        var g = SeededGenerator(seed: 5)
        let quantizer = VectorQuantizer(codebookSize: 4, dimension: 2, generator: &g)
        try quantizer.codebook.value.copyInPlace(from: Tensor(shape: [4, 2], values: [0, 0, 1, 0, 0, 1, 1, 1]))
        #expect(try quantizer.nearest(rows: Tensor(shape: [3, 2], values: [0.9, 0.2, 0.1, 0.8, 0.7, 0.9])) == [1, 2, 3])
    }

    @Test func binaryStraightThroughMatchesFiniteDifferencesOfTheExpectation() throws {
        // E[2b - 1] = 2 sigmoid(z) - 1, whose derivative the straight-through estimator uses.
        var g = SeededGenerator(seed: 6)
        let values = randomTensor([1, 2, 2, 2], seed: 7)
        let weights = randomTensor([1, 2, 2, 2], seed: 8).scalars
        let z = Variable(values, requiresGradient: true)
        let (output, bits) = try BinaryQuantizer.quantize(z, sample: true, generator: &g)
        #expect(output.value.scalars.allSatisfy { $0 == 1 || $0 == -1 })
        #expect(bits.count == 4 && bits.allSatisfy { $0.count == 2 })
        try (output * Variable(Tensor(shape: [1, 2, 2, 2], values: weights))).sum().backward()
        func expectation(_ v: [Float]) -> Double {
            zip(v, weights).reduce(0) { $0 + Double($1.1) * (2 / (1 + Foundation.exp(-Double($1.0))) - 1) }
        }
        let base = values.scalars, h: Float = 1e-2
        for i in 0..<base.count {
            var up = base, down = base
            up[i] += h
            down[i] -= h
            let numeric = (expectation(up) - expectation(down)) / Double(2 * h)
            #expect(abs(Double(z.grad!.scalars[i]) - numeric) < 1e-3)
        }
    }

    @Test func roundingIsDeterministicWithoutSampling() throws {
        var g = SeededGenerator(seed: 9)
        let z = Variable(Tensor(shape: [1, 2, 1, 1], values: [3, -3]))
        let (output, bits) = try BinaryQuantizer.quantize(z, sample: false, generator: &g)
        #expect(output.value.scalars == [1, -1])
        #expect(bits == [[1, 0]])
    }

    @Test func subTokenSplitRoundTrips() {
        var g = SeededGenerator(seed: 10)
        for _ in 0..<50 {
            let bits = (0..<16).map { _ in UInt8.random(in: 0...1, using: &g) }
            let tokens = BinaryQuantizer.subTokens(bits: bits, bitsPerSubToken: 8)
            #expect(tokens.count == 2 && tokens.allSatisfy { $0 >= 0 && $0 < 256 })
            #expect(BinaryQuantizer.bits(subTokens: tokens, bitsPerSubToken: 8) == bits)
        }
        #expect(BinaryQuantizer.subTokens(bits: [1, 0, 1, 0, 0, 0, 0, 1], bitsPerSubToken: 4) == [5, 8])
    }

    @Test(arguments: TokenizerConfiguration.Kind.allCases)
    func savesAndLoads(kind: TokenizerConfiguration.Kind) throws {
        var g = SeededGenerator(seed: 11)
        let tokenizer = try ImageTokenizer(configuration: Self.tiny(kind), generator: &g)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try tokenizer.save(to: url)
        let loaded = try ImageTokenizer.load(from: url)
        let images = Tensor.uniform([2, 1, 8, 8], using: &g)
        #expect(loaded.configuration == tokenizer.configuration)
        #expect(try loaded.encode(images) == tokenizer.encode(images))
        #expect(throws: ImageDataError.self) { try ImageTokenModel.load(from: url) }
    }

    @Test func rejectsBadInput() throws {
        var g = SeededGenerator(seed: 12)
        let tokenizer = try ImageTokenizer(configuration: Self.tiny(.binary), generator: &g)
        #expect(throws: ImageDataError.self) { try tokenizer.decode([[0, 1, 2]]) }
        #expect(throws: ImageDataError.self) { try tokenizer.decode([[0, 1, 2, 3, 4, 5, 6, 99]]) }
        #expect(throws: ImageDataError.self) { try tokenizer.encode(Tensor.zeros([1, 1, 9, 9])) }
        var bad = Self.tiny(.binary)
        bad.bitsPerSubToken = 3
        #expect(throws: ImageDataError.self) { try ImageTokenizer(configuration: bad, generator: &g) }
    }

    @Test func trainingReducesTheLoss() throws {
        var g = SeededGenerator(seed: 13)
        let tokenizer = try ImageTokenizer(configuration: Self.tiny(.vectorQuantized), generator: &g)
        let images = Tensor.uniform([4, 1, 8, 8], using: &g)
        let first = try tokenizer.loss(images, generator: &g).loss.value.scalar
        Tape.current.reset()
        var data = [UInt8](), labels = [Int]()
        for i in 0..<4 { data += images.scalars[(i * 64)..<((i + 1) * 64)].map { UInt8($0 * 255) }; labels.append(i % 2) }
        let dataset = try ImageDataset(width: 8, height: 8, channels: 1, pixels: data, labels: labels, classNames: ["a", "b"])
        var training = TrainingConfiguration()
        training.steps = 40
        training.warmupSteps = 2
        training.learningRate = 1e-2
        training.checkpointInterval = 0
        let history = try tokenizer.train(on: dataset, batchSize: 4, training: training, progress: { _ in })
        #expect(history.last!.trainingLoss < first)
        let report = try tokenizer.evaluate(on: dataset)
        #expect(report.images == 4 && report.codeUsage > 0 && report.peakSignalToNoise > 0)
    }
}
