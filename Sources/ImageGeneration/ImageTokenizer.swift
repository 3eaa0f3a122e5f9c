// The convolutional autoencoder follows VQ-VAE (van den Oord et al. 2017, section 4.1: two
// stride-2 convolutions down, two transposed convolutions up); the quantiser is either VQ or
// ELM's binary autoencoder (Liu et al. 2024, section 3.1). See VectorQuantizer.swift and
// BinaryQuantizer.swift.

import Autograd
import NeuralNetworks
import Tensors

/// Images <-> grids of discrete tokens.
///
/// Each image becomes `positionCount * subTokenCount` integers: grid positions in raster
/// order, the sub-tokens of a position next to each other.
///
/// ```swift
/// var g = SeededGenerator(seed: 0)
/// let tokenizer = try ImageTokenizer(configuration: TokenizerConfiguration(), generator: &g)
/// let tokens = try tokenizer.encode(images)          // [N][49 * 2]
/// let decoded = try tokenizer.decode(tokens)         // [N, 1, 28, 28]
/// ```
public final class ImageTokenizer: Module {
    /// The validated shape the tokenizer was built with.
    public let configuration: TokenizerConfiguration
    let encoder1: Convolution, encoder2: Convolution, encoderOut: Convolution
    let decoderIn: Convolution, decoder1: TransposedConvolution, decoder2: TransposedConvolution
    /// The codebook (VQ only).
    public let quantizer: VectorQuantizer?

    /// A freshly initialised (untrained) tokenizer.
    ///
    /// - Throws: ``ImageDataError/invalidArgument(detail:)`` naming the invalid configuration field.
    public init(configuration c: TokenizerConfiguration, generator g: inout SeededGenerator) throws {
        try c.validate()
        configuration = c
        let h = c.hiddenChannels
        encoder1 = Convolution(inputChannels: c.imageChannels, outputChannels: h, kernel: 4, stride: 2, padding: 1, generator: &g)
        encoder2 = Convolution(inputChannels: h, outputChannels: 2 * h, kernel: 4, stride: 2, padding: 1, generator: &g)
        encoderOut = Convolution(inputChannels: 2 * h, outputChannels: c.latentChannels, kernel: 1, generator: &g)
        decoderIn = Convolution(inputChannels: c.latentChannels, outputChannels: 2 * h, kernel: 3, padding: 1, generator: &g)
        decoder1 = TransposedConvolution(inputChannels: 2 * h, outputChannels: h, kernel: 4, stride: 2, padding: 1, generator: &g)
        decoder2 = TransposedConvolution(inputChannels: h, outputChannels: c.imageChannels, kernel: 4, stride: 2, padding: 1, generator: &g)
        quantizer = c.kind == .vectorQuantized
            ? VectorQuantizer(codebookSize: c.codebookSize, dimension: c.latentChannels, generator: &g) : nil
        assignParameterNames()
    }

    /// Continuous latents `[N, L, G, G]` of images `[N, C, S, S]` (VQ vectors or BAE logits).
    public func encodeLatents(_ images: Variable) throws -> Variable {
        try checkImages(images.shape)
        return try encoderOut(encoder2(encoder1(images).relu()).relu())
    }

    /// Images `[N, C, S, S]` in [0, 1] from quantised latents `[N, L, G, G]`.
    public func decodeLatents(_ latents: Variable) throws -> Variable {
        try decoderLogits(latents).sigmoid()
    }

    /// The decoder's pixel logits (before the sigmoid), `[N, C, S, S]`.
    func decoderLogits(_ latents: Variable) throws -> Variable {
        try decoder2(decoder1(decoderIn(latents).relu()).relu())
    }

    func checkImages(_ shape: [Int]) throws {
        let c = configuration
        guard shape.count == 4, shape[1] == c.imageChannels, shape[2] == c.imageSize, shape[3] == c.imageSize else {
            throw ImageDataError.invalidArgument(detail: "the tokenizer takes images [N, \(c.imageChannels), \(c.imageSize), \(c.imageSize)], got \(shape)")
        }
    }

    /// One forward pass: quantised decoder input, tokens per image, and the quantiser's loss.
    func quantize(_ latents: Variable, training: Bool, generator: inout SeededGenerator)
        throws -> (decoderInput: Variable, tokens: [[Int]], loss: Variable?, codes: [Int]) {
        let c = configuration, n = latents.shape[0], perImage = c.positionCount * c.subTokenCount
        if let quantizer {
            let (output, indices, loss) = try quantizer(latents, commitmentWeight: c.commitmentWeight, update: training)
            let tokens = (0..<n).map { Array(indices[($0 * perImage)..<(($0 + 1) * perImage)]) }
            return (output, tokens, loss, indices)
        }
        let (output, bits) = try BinaryQuantizer.quantize(latents, sample: training, generator: &generator)
        let flat = bits.flatMap { BinaryQuantizer.subTokens(bits: $0, bitsPerSubToken: c.bitsPerSubToken) }
        let tokens = (0..<n).map { Array(flat[($0 * perImage)..<(($0 + 1) * perImage)]) }
        return (output, tokens, nil, flat)
    }

    /// Tokens `[N][positions * subTokens]` of images `[N, C, S, S]` (deterministic).
    public func encode(_ images: Tensor) throws -> [[Int]] {
        var unused = SeededGenerator(seed: 0)
        return try Tape.withoutGradient {
            try quantize(encodeLatents(Variable(images)), training: false, generator: &unused).tokens
        }
    }

    /// Images `[N, C, S, S]` in [0, 1] from tokens.
    ///
    /// - Throws: when a row has the wrong length or a token is outside the vocabulary.
    public func decode(_ tokens: [[Int]]) throws -> Tensor {
        let c = configuration, perImage = c.positionCount * c.subTokenCount
        for (row, values) in tokens.enumerated() {
            guard values.count == perImage else {
                throw ImageDataError.invalidArgument(detail: "token row \(row) has \(values.count) tokens, expected \(perImage)")
            }
            if let bad = values.first(where: { $0 < 0 || $0 >= c.subVocabularySize }) {
                throw ImageDataError.invalidArgument(detail: "token \(bad) in row \(row) is outside 0..<\(c.subVocabularySize)")
            }
        }
        let latents: Tensor
        if let quantizer {
            latents = try quantizer.latents(indices: tokens.flatMap { $0 }, batch: tokens.count, grid: c.gridSize)
        } else {
            latents = BinaryQuantizer.latents(tokens: tokens, bitsPerSubToken: c.bitsPerSubToken, channels: c.latentChannels, grid: c.gridSize)
        }
        return try Tape.withoutGradient { try decodeLatents(Variable(latents)).value }
    }

    /// The training objective on a batch: binary cross-entropy of the decoder's pixel logits
    /// against the pixels, plus (VQ) the commitment loss. Cross-entropy rather than squared
    /// error after the sigmoid: the decoder first learns to paint the background, and with a
    /// squared error its saturated sigmoid then passes almost no gradient back from the strokes
    /// (a VQ autoencoder stalled there, at the loss of an all-black image).
    ///
    /// Also returns the reconstruction MSE (pixels in [0, 1]), the codes used and the latent
    /// rows (candidates for codebook restarts). A VQ codebook's moving averages take in the
    /// batch.
    public func loss(_ images: Tensor, generator: inout SeededGenerator)
        throws -> (loss: Variable, reconstruction: Float, codes: [Int], latentRows: Tensor) {
        let latents = try encodeLatents(Variable(images))
        let (input, _, quantizerLoss, codes) = try quantize(latents, training: true, generator: &generator)
        let logits = try decoderLogits(input)
        let crossEntropy = try logits.binaryCrossEntropy(logitsAgainst: images)
        let difference = try logits.value.sigmoid() - images
        let reconstruction = try (difference * difference).sum() / Float(Swift.max(images.count, 1))
        let total = try quantizerLoss.map { try crossEntropy + $0 } ?? crossEntropy
        let rows = quantizer != nil ? try VectorQuantizer.rows(latents.value) : Tensor.zeros([0, configuration.latentChannels])
        return (total, reconstruction, codes, rows)
    }
}
