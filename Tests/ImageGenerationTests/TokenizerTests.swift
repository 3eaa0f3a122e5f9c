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
        // The output equals the chosen code vectors, which have unit RMS ...
        let expected = try quantizer.latents(indices: indices, batch: 2, grid: 2)
        expectClose(output.value, expected, atol: 1e-6)
        let codes = quantizer.codebook.value.scalars
        for j in 0..<5 { #expect(abs((0..<3).reduce(Float(0)) { $0 + codes[j * 3 + $1] * codes[j * 3 + $1] } / 3 - 1) < 1e-4) }
        // ... and the gradient passes through quantisation unchanged: it is the gradient of
        // sum(w * normalize(z)).
        try (output * Variable(weights)).sum().backward()
        let reference = Variable(z.value, requiresGradient: true)
        try (quantizer.normalize(reference) * Variable(weights)).sum().backward()
        expectClose(z.grad!, reference.grad!, atol: 1e-5)
    }

    /// `count` 28x28 images of 2-3 thick anti-aliased strokes on black, like MNIST digits
    /// (about a sixth of the pixels lit).
    static func strokeImages(count: Int, seed: UInt64) throws -> ImageDataset {
        var g = SeededGenerator(seed: seed)
        var pixels = [UInt8]()
        for _ in 0..<count {
            var image = [Float](repeating: 0, count: 28 * 28)
            for _ in 0..<Int.random(in: 2...3, using: &g) {
                let (x0, y0) = (Float.random(in: 6...22, using: &g), Float.random(in: 4...24, using: &g))
                let (x1, y1) = (Float.random(in: 6...22, using: &g), Float.random(in: 4...24, using: &g))
                for y in 0..<28 { for x in 0..<28 {
                    let (px, py) = (Float(x), Float(y)), (dx, dy) = (x1 - x0, y1 - y0)
                    let t = Swift.max(0, Swift.min(1, ((px - x0) * dx + (py - y0) * dy) / Swift.max(dx * dx + dy * dy, 1e-6)))
                    let distance = ((px - x0 - t * dx) * (px - x0 - t * dx) + (py - y0 - t * dy) * (py - y0 - t * dy)).squareRoot()
                    image[y * 28 + x] = Swift.max(image[y * 28 + x], Swift.max(0, Swift.min(1, 2 - distance)))
                } }
            }
            pixels += image.map { UInt8(($0 * 255).rounded()) }
        }
        return try ImageDataset(width: 28, height: 28, channels: 1, pixels: pixels, labels: Array(repeating: 0, count: count), classNames: ["0"])
    }

    /// Plain VQ training collapses to the mean image (loss stuck at "predict the background",
    /// one or two codes in use); this autoencoder must reconstruct and spread over codes.
    @Test func vectorQuantizedAutoencoderLearnsWithoutCollapsing() throws {
        let dataset = try Self.strokeImages(count: 32, seed: 21)
        let images = dataset.batch(Array(0..<dataset.count))
        // Painting the background (all black), and the best constant prediction (the mean image).
        let n = Float(dataset.count), pixels = images.scalars, size = 28 * 28
        let backgroundError = pixels.reduce(Float(0)) { $0 + $1 * $1 } / Float(pixels.count)
        let mean = (0..<size).map { p in (0..<dataset.count).reduce(Float(0)) { $0 + pixels[$1 * size + p] } / n }
        let meanImageError = (0..<pixels.count).reduce(Float(0)) { $0 + (pixels[$1] - mean[$1 % size]) * (pixels[$1] - mean[$1 % size]) } / Float(pixels.count)
        var c = TokenizerConfiguration()
        c.kind = .vectorQuantized
        c.hiddenChannels = 8
        c.latentChannels = 8
        c.codebookSize = 32
        var g = SeededGenerator(seed: 22)
        let tokenizer = try ImageTokenizer(configuration: c, generator: &g)
        var training = TrainingConfiguration()
        training.steps = 150
        training.warmupSteps = 10
        training.learningRate = 2e-3
        training.minimumLearningRate = 2e-4
        training.weightDecay = 0.01
        training.checkpointInterval = 0
        _ = try tokenizer.train(on: dataset, batchSize: 16, training: training, restartInterval: 25, progress: { _ in })
        let report = try tokenizer.evaluate(on: dataset)
        // A collapsed run stalls at 0.083, the all-black error.
        #expect(report.meanSquaredError < 0.5 * Double(backgroundError), "MSE \(report.meanSquaredError) vs background \(backgroundError)")
        #expect(report.meanSquaredError < 0.75 * Double(meanImageError), "MSE \(report.meanSquaredError) vs mean image \(meanImageError)")
        #expect(report.distinctCodes >= 8, "\(report.distinctCodes) codes used")
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
