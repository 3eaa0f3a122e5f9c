// Choosing among sampled icons. The keyword classifier says which candidates look like the
// text, but a 32 x 32 raster classifier also likes broken samples (a camera body without its
// lens, a plus sign for "arrow", blobs that happen to fill the right pixels). The model's own
// log-likelihood per token says which candidates are clean, well-formed icons, but on its own it
// prefers the simplest shapes (rings for "camera"). Ranked by both, as the sum of the two rank
// positions (a Borda count, free of the two scores' units), the kept icons are clean and on
// topic. Measured on eight prompts in BENCHMARKS.md ("Reranking by classifier and likelihood").
//
// Tried and dropped: the pointwise mutual information log p(icon | text) - log p(icon | no text)
// (the model as a Bayes classifier of the text) ranks the most broken samples first, because
// they are the least likely without the text.

import Autograd
import Foundation
import NeuralNetworks
import Tensors

/// What `icons generate --rerank` ranks candidates by.
public enum IconRerankCriterion: String, CaseIterable, Sendable {
    /// The keyword classifier's probability of the text.
    case classifier
    /// The model's mean log-probability per SVG token after the text.
    case likelihood
    /// The sum of the rank positions under both (ties share a position).
    case both
}

extension IconSynthesizer {
    /// Sequences scored per forward pass (right-padded: causal attention keeps the padding out
    /// of every real position). 8 was the fastest of 2-32 for 256 "camera" candidates on two
    /// cores (3.1 s; 16: 4.5 s, 32: 5.6 s).
    static let scoringBatch = 8

    /// The summed log-probability of each icon's SVG tokens (end-of-icon included) after the
    /// prompt for `text`, under the model at temperature 1 without the grammar mask; tokens the
    /// model could not have read within its context are not scored (``scoredTokenCount(of:text:)``).
    /// With ``keywordsAsSet`` the words are scored in sorted order, so every order of the same
    /// keywords scores alike.
    public func logLikelihoods(of icons: [GeneratedIcon], text: String) throws -> [Double] {
        let prompt = tokenizer.prompt(text: scoringText(text))
        guard prompt.count < model.contextLength else {
            throw IconError.invalidArgument(name: "text", detail: "its prompt of \(prompt.count) tokens does not fit the context of \(model.contextLength)")
        }
        let transformer = model.transformer
        var result = [Double](repeating: 0, count: icons.count)
        // Batches of similar lengths waste little on padding.
        let order = icons.indices.sorted { (icons[$0].tokens.count, $0) < (icons[$1].tokens.count, $1) }
        for start in stride(from: 0, to: icons.count, by: Self.scoringBatch) {
            let members = order[start..<min(start + Self.scoringBatch, icons.count)]
            // The model reads at most `contextLength` tokens, which predict one more.
            let sequences = members.map { Array((prompt + icons[$0].tokens).prefix(model.contextLength + 1)) }
            let inputs = sequences.map { Array($0.dropLast()) }
            let width = inputs.map(\.count).max() ?? 0
            let padded = inputs.map { $0 + Array(repeating: IconTokenizer.endOfIcon, count: width - $0.count) }
            let logits = try Tape.withoutGradient { try transformer.logits(tokens: padded) }.value   // [B, T, V]
            let vocabulary = logits.shape[2]
            let logProbabilities = try logits.reshaped([padded.count * width, vocabulary]).logSoftmax().scalars
            for (row, (member, sequence)) in zip(members, sequences).enumerated() {
                var total = 0.0
                // Position p predicts token p + 1; only the icon's tokens count.
                for position in (prompt.count - 1)..<(sequence.count - 1) {
                    total += Double(logProbabilities[(row * width + position) * vocabulary + sequence[position + 1]])
                }
                result[member] = total
            }
        }
        return result
    }

    /// How many of `icon`'s tokens ``logLikelihoods(of:text:)`` scores.
    public func scoredTokenCount(of icon: GeneratedIcon, text: String) -> Int {
        let promptCount = tokenizer.prompt(text: scoringText(text)).count
        return max(0, min(promptCount + icon.tokens.count, model.contextLength + 1) - promptCount)
    }

    /// `text`, with its words sorted when they are read as a set.
    func scoringText(_ text: String) -> String {
        keywordsAsSet ? text.split(whereSeparator: \.isWhitespace).sorted().joined(separator: " ") : text
    }

    /// `count` icons for `text`, each the best of `candidatesPerIcon` samples by `criterion`
    /// (what `icons generate` and `icons eval --rerank` keep); raw samples when
    /// `candidatesPerIcon` is 1 or there is no text. `progress` hears when sampling ends.
    public func generate(text: String?, count: Int, candidatesPerIcon: Int, by criterion: IconRerankCriterion,
                         classifier: IconClassifier?, options: IconSamplingOptions,
                         progress: (String) -> Void = { _ in }) throws -> [GeneratedIcon] {
        guard candidatesPerIcon > 1, let text, !text.isEmpty else { return try generate(text: text, count: count, options: options) }
        let candidates = try generate(text: text, count: count * candidatesPerIcon, options: options)
        progress("decoded \(report.summary); ranking by \(criterion.rawValue)")
        return try rerank(candidates, text: text, keep: count, by: criterion, classifier: classifier)
    }

    /// The `count` candidates ranked best for `text` by `criterion`, best first, distinct icons
    /// before repeats; ties keep the sampling order. Without a classifier, or when no word of `text` is one of its classes,
    /// ``IconRerankCriterion/both`` ranks by likelihood alone and
    /// ``IconRerankCriterion/classifier`` keeps the sampling order.
    public func rerank(_ candidates: [GeneratedIcon], text: String, keep count: Int, by criterion: IconRerankCriterion,
                       classifier: IconClassifier?) throws -> [GeneratedIcon] {
        let alignment = criterion == .likelihood ? nil : try classifier?.alignment(of: candidates, text: text)
        var likelihood: [Double]?
        if criterion != .classifier {
            likelihood = zip(try logLikelihoods(of: candidates, text: text), candidates).map {
                $0 / Double(max(scoredTokenCount(of: $1, text: text), 1))
            }
        }
        let order = Self.rankOrder([alignment, likelihood].compactMap { $0 }, count: candidates.count)
        return Self.distinctFirst(order, of: candidates, keep: count).map { candidates[$0] }
    }

    /// The first `count` of `order`, skipping candidates whose tokens repeat a better one's as
    /// long as enough distinct ones remain (low temperatures and guidance sample the same icon
    /// many times, and eight copies of one icon are one answer).
    static func distinctFirst(_ order: [Int], of candidates: [GeneratedIcon], keep count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var seen = Set<[Int]>()
        var kept: [Int] = []
        var repeats: [Int] = []
        for index in order {
            if seen.insert(candidates[index].tokens).inserted {
                kept.append(index)
                if kept.count == count { return kept }
            } else {
                repeats.append(index)
            }
        }
        return kept + repeats.prefix(count - kept.count)
    }

    /// Indices of `count` items ordered by the sum of their rank positions under each score
    /// list (higher scores first; equal scores share the better position), ties in index order.
    /// No lists: index order.
    public static func rankOrder(_ scores: [[Double]], count: Int) -> [Int] {
        var total = [Int](repeating: 0, count: count)
        for list in scores {
            precondition(list.count == count, "one score per item")
            let sorted = list.indices.sorted { list[$0] != list[$1] ? list[$0] > list[$1] : $0 < $1 }
            var position = 0
            for (place, index) in sorted.enumerated() {
                if place > 0 && list[index] != list[sorted[place - 1]] { position = place }
                total[index] += position
            }
        }
        return total.indices.sorted { total[$0] != total[$1] ? total[$0] < total[$1] : $0 < $1 }
    }
}
