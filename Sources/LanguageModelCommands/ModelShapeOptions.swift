import ArgumentParser
import Commands
import Foundation
import NeuralNetworks

/// The shape of a model to train from scratch: a `DecoderConfiguration` JSON file
/// (`--config`, any subset of its fields) and flags that override it, including the
/// library's model variants (structured feed-forward blocks, RoPE scaling).
///
/// ```sh
/// nexttoken lm train --data input.txt -o runs/tiny --config assets/configs/char-small.json --layers 2
/// ```
public struct ModelShapeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model configuration JSON (DecoderConfiguration fields; missing ones take defaults).", valueName: "file"))
    public var config: String?

    @Option(help: "Architecture: gpt2 (learned positions, LayerNorm, GELU) or llama (RoPE, RMSNorm, SwiGLU).")
    public var flavor: DecoderConfiguration.Flavor?

    @Option(help: "Transformer blocks (default 4).")
    public var layers: Int?

    @Option(help: "Width of the residual stream (default 256).")
    public var hiddenSize: Int?

    @Option(help: "Attention heads (default 8).")
    public var heads: Int?

    @Option(help: ArgumentHelp("Feed-forward block: dense, low-rank:R (two factors through rank R) or block-diagonal:B (B blocks; B divides the hidden and intermediate sizes). Default dense.",
                               valueName: "structure"))
    public var ffn: FeedForwardChoice?

    @Option(help: ArgumentHelp("Rotary position scaling (llama): pi:F (positions divided by F) or ntk:F (NTK-aware base), F >= 1.",
                               valueName: "method:F"))
    public var ropeScaling: RoPEScaling?

    /// No `--config` and no overrides: the defaults.
    public init() {}

    /// Checks that `--config` is a readable file and that `--layers`, `--hidden-size` and `--heads`
    /// are at least 1.
    public func validate() throws {
        if let config {
            do { try CommandFailure.requireFile(URL(fileURLWithPath: config), option: "--config") } catch let failure as CommandFailure {
                throw ValidationError(failure.description)
            }
        }
        for (value, option) in [(layers, "--layers"), (hiddenSize, "--hidden-size"), (heads, "--heads")] {
            if let value, value < 1 { throw ValidationError("\(option): must be >= 1, got \(value)") }
        }
    }

    /// The configuration: the file (or the defaults), then every flag given.
    ///
    /// - Throws: ``CommandFailure`` naming the file and field of a malformed `--config`.
    public func configuration() throws -> DecoderConfiguration {
        var configuration = DecoderConfiguration()
        if let config {
            do {
                configuration = try JSONDecoder().decode(DecoderConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: config)))
            } catch {
                throw CommandFailure("--config \(config): \(ErrorMessage.describe(error))")
            }
        }
        if let flavor { configuration.flavor = flavor }
        if let layers { configuration.layerCount = layers }
        if let hiddenSize { configuration.hiddenSize = hiddenSize }
        if let heads { configuration.headCount = heads }
        if let ffn { configuration.feedForwardStructure = ffn.structure }
        if case .blockDiagonal(let blocks)? = configuration.feedForwardStructure,
           configuration.hiddenSize % blocks != 0 || configuration.resolvedIntermediateSize % blocks != 0 {
            throw CommandFailure.option("--ffn", "\(blocks) blocks must divide the hidden size \(configuration.hiddenSize) and the feed-forward size \(configuration.resolvedIntermediateSize)")
        }
        if let ropeScaling {
            guard configuration.flavor == .llama else {
                throw CommandFailure.option("--rope-scaling", "needs rotary positions: add --flavor llama")
            }
            ropeScaling.apply(to: &configuration)
        }
        return configuration
    }
}

extension DecoderConfiguration.Flavor: ExpressibleByArgument {}
