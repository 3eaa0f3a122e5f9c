/// The shape of an image tokenizer: a convolutional autoencoder that downsamples by 4 and
/// a quantiser on its latent grid.
///
/// Defaults give a 7x7 grid for 28x28 images. With `kind = .binary` (ELM's BAE) each grid
/// position carries `latentChannels` bits split into sub-tokens of `bitsPerSubToken` bits
/// (16 bits as two 8-bit tokens by default); with `kind = .vectorQuantized` each position is
/// one index into a codebook of `codebookSize` vectors of size `latentChannels`.
public struct TokenizerConfiguration: Codable, Sendable, Equatable {
    /// Which quantiser.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// VQ-VAE (van den Oord et al. 2017): nearest codebook vector, straight-through.
        case vectorQuantized = "vq"
        /// ELM's binary autoencoder: Bernoulli bits with a straight-through estimator.
        case binary = "bae"
    }

    /// Default `.binary`.
    public var kind: Kind = .binary
    /// Image side in pixels (square images, divisible by 4). Default 28.
    public var imageSize = 28
    /// 1 (gray) or 3 (RGB). Default 1.
    public var imageChannels = 1
    /// Channels of the first convolution (the second has twice as many). Default 32.
    public var hiddenChannels = 32
    /// Latent channels per grid position: bits (BAE) or codebook vector size (VQ). Default 16.
    public var latentChannels = 16
    /// VQ codebook entries. Default 512.
    public var codebookSize = 512
    /// BAE bits per sub-token (must divide `latentChannels`, at most 16). Default 8.
    public var bitsPerSubToken = 8
    /// VQ commitment weight β (van den Oord et al. 2017, eq. 3). Default 0.25.
    public var commitmentWeight: Float = 0.25

    /// The defaults documented on each field (a BAE of 16 bits per position, two 8-bit sub-tokens, for 28x28 gray images).
    public init() {}

    /// Side of the token grid.
    public var gridSize: Int { imageSize / 4 }
    /// Grid positions per image.
    public var positionCount: Int { gridSize * gridSize }
    /// Sub-tokens per grid position.
    public var subTokenCount: Int { kind == .binary ? latentChannels / bitsPerSubToken : 1 }
    /// Values one sub-token takes.
    public var subVocabularySize: Int { kind == .binary ? 1 << bitsPerSubToken : codebookSize }

    /// Throws naming the first field that makes no sense.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ detail: String) throws {
            if !ok { throw ImageDataError.invalidArgument(detail: "tokenizer configuration: \(field): \(detail)") }
        }
        try check(imageSize >= 4 && imageSize % 4 == 0, "imageSize", "must be a positive multiple of 4, got \(imageSize)")
        try check(imageChannels == 1 || imageChannels == 3, "imageChannels", "must be 1 or 3, got \(imageChannels)")
        try check(imageSize <= 1024, "imageSize", "must be at most 1024, got \(imageSize)")
        try check((1...4096).contains(hiddenChannels), "hiddenChannels", "must be in 1...4096, got \(hiddenChannels)")
        try check((1...4096).contains(latentChannels), "latentChannels", "must be in 1...4096, got \(latentChannels)")
        try check((2...1 << 20).contains(codebookSize), "codebookSize", "must be in 2...1048576, got \(codebookSize)")
        try check(bitsPerSubToken > 0 && bitsPerSubToken <= 16 && latentChannels % bitsPerSubToken == 0,
                  "bitsPerSubToken", "must be in 1...16 and divide latentChannels \(latentChannels), got \(bitsPerSubToken)")
        try check(commitmentWeight >= 0, "commitmentWeight", "must not be negative")
    }
}
