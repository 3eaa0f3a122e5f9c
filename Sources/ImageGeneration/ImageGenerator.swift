import Foundation
import Rendering
import Tensors

/// The `images` application's facade: a tokenizer and a generator over its tokens.
///
/// ```swift
/// let generator = try ImageGenerator(tokenizer: tokenizerURL, model: modelURL)
/// var settings = SamplingSettings()
/// settings.guidance = GuidanceSchedule(scale: 3, kind: .linear)
/// let sevens = try generator.generate(classes: Array(repeating: 7, count: 64), settings: settings, seed: 1)
/// try RasterImage.contactSheet(sevens, columns: 8).writePNG(to: URL(fileURLWithPath: "grid.png"))
/// ```
public final class ImageGenerator {
    /// Images <-> token grids; decodes the sampled tokens.
    public let tokenizer: ImageTokenizer
    /// The class-conditional model that samples token grids.
    public let model: ImageTokenModel

    /// Pairs a tokenizer with a generator trained on its tokens.
    public init(tokenizer: ImageTokenizer, model: ImageTokenModel) throws {
        let t = tokenizer.configuration, g = model.configuration
        guard t.positionCount == g.positionCount, t.subTokenCount == g.subTokenCount, t.subVocabularySize == g.subVocabularySize else {
            throw ImageDataError.mismatch(detail: "the generator expects \(g.positionCount) positions x \(g.subTokenCount) sub-tokens of \(g.subVocabularySize) values, the tokenizer makes \(t.positionCount) x \(t.subTokenCount) of \(t.subVocabularySize)")
        }
        self.tokenizer = tokenizer
        self.model = model
    }

    /// Loads both model files.
    public convenience init(tokenizer: URL, model: URL) throws {
        try self.init(tokenizer: ImageTokenizer.load(from: tokenizer), model: ImageTokenModel.load(from: model))
    }

    /// Number of classes the generator knows.
    public var classCount: Int { model.configuration.classCount }

    /// Generated images `[N, C, S, S]` in [0, 1], one per entry of `classes`, in batches.
    public func generateTensor(classes: [Int], settings: SamplingSettings, seed: UInt64, batchSize: Int = 100,
                               progress: ((Int) -> Void)? = nil) throws -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var pieces: [Tensor] = []
        for start in stride(from: 0, to: classes.count, by: batchSize) {
            let part = Array(classes[start..<Swift.min(classes.count, start + batchSize)])
            let tokens = try model.sample(classes: part, settings: settings, generator: &generator)
            pieces.append(try tokenizer.decode(tokens))
            progress?(start + part.count)
        }
        guard !pieces.isEmpty else { throw ImageDataError.invalidArgument(detail: "nothing to generate: the class list is empty") }
        return try Tensor.concatenate(pieces, axis: 0)
    }

    /// Generated images as 8-bit pictures.
    public func generate(classes: [Int], settings: SamplingSettings, seed: UInt64, batchSize: Int = 100) throws -> [RasterImage] {
        try Self.rasterImages(generateTensor(classes: classes, settings: settings, seed: seed, batchSize: batchSize))
    }

    /// Tokenizes and decodes `images` `[N, C, S, S]` (what the tokenizer keeps of them).
    public func reconstruct(_ images: Tensor) throws -> Tensor {
        try tokenizer.decode(tokenizer.encode(images))
    }

    /// Converts `[N, C, S, S]` values in [0, 1] to pictures.
    public static func rasterImages(_ images: Tensor) throws -> [RasterImage] {
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let values = images.scalars, plane = h * w
        return try (0..<n).map { i in
            if c == 1 { return try RasterImage.gray(width: w, height: h, values: Array(values[(i * plane)..<((i + 1) * plane)])) }
            var bytes = [UInt8](repeating: 0, count: plane * 3)
            for channel in 0..<3 { for p in 0..<plane {
                bytes[p * 3 + channel] = UInt8((Swift.max(0, Swift.min(1, values[(i * 3 + channel) * plane + p])) * 255).rounded())
            } }
            return try RasterImage(width: w, height: h, channels: .rgb, pixels: bytes)
        }
    }
}
