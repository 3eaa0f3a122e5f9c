import FMIndex
import Generation

// Constrained decoding over an FM-index: Bevilacqua et al. 2022, "Autoregressive Search
// Engines: Generating Substrings as Document Identifiers", Section 3.2. At every step the
// only tokens allowed are those that follow the n-gram generated so far somewhere in the
// corpus, so every beam spells an n-gram that occurs in at least one passage.

/// Masks every token that would make the generated n-gram absent from the index.
///
/// One instance per sequence (hand the generator ``factory(index:prefix:)``): it keeps the
/// `MatchRange` of the n-gram generated so far and extends it by the tokens appended since
/// the previous call, one backward-search step each, instead of searching the whole n-gram
/// again. Beam search forks it with the beam (``forked()`` copies the range).
///
/// ```swift
/// var settings = GenerationSettings()
/// settings.mode = .beamSearch
/// settings.beamCount = 10
/// settings.hypothesisCount = 10
/// settings.maxNewTokens = 10
/// let constraint = FMIndexConstraintProcessor.factory(index: fmIndex)
/// let ngrams = try BeamSearch(model: model).search(prompt: prompt, settings: settings, processors: [constraint])
/// ```
public final class FMIndexConstraintProcessor: LogitsProcessor, @unchecked Sendable {
    // @unchecked: mutable state, but the generator calls one instance from one thread at a
    // time and forks give every beam its own copy.

    /// The index the n-grams must occur in.
    public let index: FMIndex
    /// Tokens of the prompt; generated tokens start after them.
    public let promptLength: Int
    /// The n-gram's range: `prefix` followed by the generated tokens absorbed so far.
    public private(set) var range: MatchRange
    /// Generated tokens already folded into ``range``.
    public private(set) var consumed = 0

    /// A processor for a sequence whose prompt has `promptLength` tokens.
    ///
    /// - Parameter prefix: tokens the n-gram starts with that are part of the prompt (the
    ///   title-start marker for title generation); empty for free n-grams.
    public init(index: FMIndex, promptLength: Int, prefix: [Int] = []) {
        self.index = index
        self.promptLength = promptLength
        self.range = index.range(of: prefix)
    }

    /// A factory giving each sequence its own processor.
    public static func factory(index: FMIndex, prefix: [Int] = []) -> LogitsProcessorFactory {
        LogitsProcessorFactory { sequence in
            FMIndexConstraintProcessor(index: index, promptLength: sequence.prompt.count, prefix: prefix)
        }
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        let generated = context.count - promptLength
        while consumed < generated {
            range = index.extend(range, with: context[promptLength + consumed])
            consumed += 1
        }
        // Unseen tokens keep -inf; an empty range (cannot happen through this processor,
        // but may for a foreign prompt) leaves every token masked: the beam is a dead end.
        var allowed = [Float](repeating: -.infinity, count: logits.count)
        for continuation in index.nextTokens(after: range) where continuation.token < logits.count {
            allowed[continuation.token] = logits[continuation.token]
        }
        logits = allowed
    }

    public func forked() -> any LogitsProcessor {
        let copy = FMIndexConstraintProcessor(index: index, promptLength: promptLength, range: range)
        copy.consumed = consumed
        return copy
    }

    private init(index: FMIndex, promptLength: Int, range: MatchRange) {
        self.index = index
        self.promptLength = promptLength
        self.range = range
    }
}
