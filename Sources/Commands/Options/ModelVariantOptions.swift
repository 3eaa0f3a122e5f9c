import ArgumentParser
import NeuralNetworks

/// `--ffn dense|low-rank:R|block-diagonal:B`: the feed-forward block of a model built from
/// scratch (``DecoderConfiguration/feedForwardStructure``).
///
/// ```sh
/// nexttoken lm train --data input.txt -o runs/lowrank --ffn low-rank:32
/// ```
public struct FeedForwardChoice: ExpressibleByArgument, Sendable, Equatable {
    /// nil for the dense block.
    public let structure: StructuredLinear.Structure?

    /// Parses `dense`, `low-rank:R` (R >= 1) or `block-diagonal:B` (B >= 1; B must divide the
    /// hidden and intermediate sizes, checked when the model is built).
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count == 2 ? Int(parts[1]) : nil) {
        case ("dense", nil) where parts.count == 1: structure = nil
        case ("low-rank", let rank?) where rank >= 1: structure = .lowRank(rank: rank)
        case ("block-diagonal", let blocks?) where blocks >= 1: structure = .blockDiagonal(blocks: blocks)
        default: return nil
        }
    }

    public static var defaultCompletionKind: CompletionKind { .list(["dense", "low-rank:", "block-diagonal:"]) }
}

/// `--rope-scaling pi:F|ntk:F`: rotary position scaling by a factor F >= 1, by position
/// interpolation (positions divided by F, ``DecoderConfiguration/ropeScale``) or NTK-aware
/// scaling (the rotary base grows, ``DecoderConfiguration/ropeNTKFactor``).
///
/// ```sh
/// nexttoken lm generate --model runs/llama --rope-scaling ntk:4 --max-new-tokens 900 "..."
/// ```
public struct RoPEScaling: ExpressibleByArgument, Sendable, Equatable {
    /// The two methods.
    public enum Method: String, Sendable { case positionInterpolation = "pi", ntk }
    /// Position interpolation or NTK-aware.
    public let method: Method
    /// The factor F (>= 1).
    public let factor: Float

    /// Parses `pi:F` or `ntk:F` with a finite F >= 1.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let method = Method(rawValue: parts[0]), let factor = Float(parts[1]),
              factor.isFinite, factor >= 1 else { return nil }
        self.method = method
        self.factor = factor
    }

    /// Sets the scaling fields of `configuration` (the context length is left as it is).
    public func apply(to configuration: inout DecoderConfiguration) {
        switch method {
        case .positionInterpolation: configuration.ropeScale = factor
        case .ntk: configuration.ropeNTKFactor = factor
        }
    }

    /// Scales a rotary model trained on `contextLength` tokens to run on F times as many.
    ///
    /// - Throws: ``CommandFailure`` for a model with learned positions (GPT-2), which RoPE
    ///   scaling cannot extend.
    public func extend(_ configuration: inout DecoderConfiguration) throws {
        guard configuration.flavor == .llama else {
            throw CommandFailure.option("--rope-scaling", "needs a model with rotary positions (llama); this one is \(configuration.flavor.rawValue)")
        }
        apply(to: &configuration)
        configuration.contextLength = Int((Float(configuration.contextLength) * factor).rounded(.down))
    }

    public static var defaultCompletionKind: CompletionKind { .list(["pi:", "ntk:"]) }
}
