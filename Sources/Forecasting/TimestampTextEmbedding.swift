// AutoTimes (Liu et al. 2024), Sec. 3.2 "Timestamps as position embeddings" (Eq. 4): the
// timestamps of segment i become the text "This is Time Series from {first} to {last}",
// which the frozen LLM itself reads; the final hidden state of the text's last token is the
// segment's timestamp embedding TE_i, added to its segment embedding SE_i. Because the LLM
// is frozen, each distinct text is embedded once and cached (the reference code precomputes
// them in a preprocessing pass).

import Autograd
import NeuralNetworks
import Tensors
import Tokenizers

/// Timestamp position embeddings read from a frozen LLM, cached per distinct text.
///
/// ```swift
/// let embedder = try TimestampTextEmbedding(backbone: gpt2, tokenizer: bpe)
/// let text = TimestampTextEmbedding.text(first: start, last: end, frequency: .hours(1))
/// let vectors = try embedder.embeddings(for: [text])     // [1][C]
/// ```
public final class TimestampTextEmbedding {
    /// The frozen LLM whose last hidden state embeds each text.
    public let backbone: DecoderTransformer
    /// The LLM's own tokenizer.
    public let tokenizer: any Tokenizer
    private var cache: [String: [Float]] = [:]

    /// An embedder reading texts with `backbone`; the cache starts empty.
    ///
    /// - Parameters:
    ///   - backbone: a frozen pretrained LLM (it must not train while the cache lives).
    ///   - tokenizer: its tokenizer; ids must index the LLM's embedding table.
    /// - Throws: ``ForecastError/invalidArgument(name:detail:)`` when the tokenizer has more
    ///   tokens than the backbone embeds.
    public init(backbone: DecoderTransformer, tokenizer: any Tokenizer) throws {
        guard tokenizer.vocabularySize <= backbone.configuration.vocabularySize else {
            throw ForecastError.invalidArgument(name: "tokenizer", detail: "it has \(tokenizer.vocabularySize) tokens but the backbone embeds only \(backbone.configuration.vocabularySize); give the backbone's own tokenizer")
        }
        self.backbone = backbone
        self.tokenizer = tokenizer
    }

    /// Width of an embedding (the LLM's hidden size), C.
    public var width: Int { backbone.configuration.hiddenSize }

    /// Distinct texts embedded so far.
    public var cachedCount: Int { cache.count }

    /// The paper's text for a segment whose first and last points fall at `first` and `last`
    /// (seconds since the epoch), dates written as the frequency shows them.
    public static func text(first: Double, last: Double, frequency: Frequency) -> String {
        func format(_ seconds: Double) -> String {
            switch frequency {
            case .months, .years: return Timestamp.format(seconds, monthOnly: true)
            default: return Timestamp.format(seconds, dateOnly: !frequency.showsTime)
            }
        }
        return "This is Time Series from \(format(first)) to \(format(last))"
    }

    /// The embedding `[C]` of each text: the LLM's final hidden state at the text's last token.
    ///
    /// Texts not yet cached are embedded in batches of equal token counts (no padding, so a
    /// batched embedding equals the embedding of the text alone up to float rounding).
    public func embeddings(for texts: [String]) throws -> [[Float]] {
        var missing: [Int: Set<String>] = [:]      // token count -> texts
        var tokenized: [String: [Int]] = [:]
        for text in texts where cache[text] == nil && tokenized[text] == nil {
            var ids = try tokenizer.encode(text)
            guard !ids.isEmpty else { throw ForecastError.invalidArgument(name: "timestamps", detail: "the tokenizer gives no tokens for '\(text)'") }
            // A text longer than the context keeps its end, which holds the dates.
            ids = Array(ids.suffix(backbone.configuration.contextLength))
            tokenized[text] = ids
            missing[ids.count, default: []].insert(text)
        }
        for (count, group) in missing {
            let ordered = group.sorted()
            for start in stride(from: 0, to: ordered.count, by: 64) {
                let chunk = Array(ordered[start..<min(start + 64, ordered.count)])
                let hidden = try Tape.withoutGradient {
                    try backbone.hiddenStates(.tokens(chunk.map { tokenized[$0]! })).value
                }                                                                           // [B, T, C]
                let last = try hidden.sliced(axis: 1, range: (count - 1)..<count).contiguous().scalars   // [B * C]
                for (b, text) in chunk.enumerated() { cache[text] = Array(last[(b * width)..<((b + 1) * width)]) }
            }
        }
        return texts.map { cache[$0]! }
    }
}
