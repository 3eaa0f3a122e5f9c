// Training sequences as IconShop builds them (Wu et al. 2023): section 3.2 (text tokens, then
// SVG tokens; the loss weights SVG tokens 7 times the text tokens) and section 3.3
// ("fill-in-the-middle": a path is cut out, replaced by a mask token, and appended after the
// icon behind a second mask token, so the model learns to regenerate a path in context).

import Foundation
import Tensors

/// One training sequence with its per-target loss weights.
public struct IconTrainingSequence: Sendable, Equatable {
    /// The full token sequence; inputs are `tokens.dropLast()`, targets `tokens.dropFirst()`.
    public var tokens: [Int]
    /// One weight per target (`tokens.count - 1`): `svgWeight` for SVG and mask targets,
    /// `textWeight` for text and separator targets.
    public var weights: [Float]

    /// Creates a sequence; `weights` has one entry per target (`tokens.count - 1`).
    public init(tokens: [Int], weights: [Float]) {
        self.tokens = tokens
        self.weights = weights
    }
}

/// Builds (optionally fill-in-the-middle) training sequences from dataset entries.
///
/// ```swift
/// let builder = IconSequenceBuilder(tokenizer: dataset.tokenizer)
/// var generator = SeededGenerator(seed: 1)
/// let sample = builder.sequence(for: dataset.entries[0], using: &generator)
/// ```
public struct IconSequenceBuilder: Sendable {
    /// The vocabulary the sequences are built in.
    public let tokenizer: IconTokenizer
    /// IconShop's 7:1 weighting of SVG to text tokens.
    public var svgWeight: Float = 7
    /// Loss weight of text and separator targets.
    public var textWeight: Float = 1
    /// Share of fill-in-the-middle sequences.
    public var fillInTheMiddleRate = 0.25
    /// Share of sequences without text (unconditional generation, classifier-free style).
    public var dropTextRate = 0.1
    /// Keywords kept per sequence (shuffled), like IconShop's short keyword prompts.
    public var maximumWords = 6
    /// Share of sequences whose text is a random non-empty subset of the icon's keywords (size
    /// uniform in 1...n) instead of all of them. Most icon names are compounds ("camera video
    /// fill", "bookmark heart"), so a one-word prompt such as "camera" matches few names
    /// exactly; subsets teach the model what every icon with "camera" in its name has in common.
    public var keywordSubsetRate = 0.5
    /// Geometric augmentation strength `a` (0 turns it off): each training icon is scaled by a
    /// random factor in `[1 - a, 1 + a]` about its bounding-box centre (capped so it still
    /// fits the grid) and moved by up to `a * W / 2` on each axis (kept inside the grid). The
    /// 13,700 default icons are few for a 3.1 M-parameter model, which otherwise learns some of
    /// them by heart; but on that set it lowered the validation loss while breaking sampled
    /// icons apart (docs/experiments/icons.md, "Augmentation and dropout"), so the default is 0.
    public var augmentation = 0.0

    /// A builder with IconShop's defaults (7:1 weights, 25% fill-in-the-middle, 10% without text).
    public init(tokenizer: IconTokenizer) { self.tokenizer = tokenizer }

    /// Splits SVG tokens (ending with end-of-icon) into per-path token runs.
    public func pathRuns(_ svgTokens: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for token in svgTokens where token != IconTokenizer.endOfIcon {
            current.append(token)
            if token == IconTokenizer.endOfPath { runs.append(current); current = [] }
        }
        return runs
    }

    /// `[BOS] text [SEP] prefix [MASK] suffix [EOI] [MASK] path [EOM]` with path `k` cut out.
    public func fillInTheMiddle(text: [Int], svgTokens: [Int], path k: Int) -> [Int] {
        let runs = pathRuns(svgTokens)
        precondition(runs.indices.contains(k), "path index out of range")
        var tokens = [IconTokenizer.bos] + text + [IconTokenizer.separator]
        tokens += runs[..<k].joined()
        tokens.append(IconTokenizer.mask)
        tokens += runs[(k + 1)...].joined()
        tokens += [IconTokenizer.endOfIcon, IconTokenizer.mask]
        tokens += runs[k]
        tokens.append(IconTokenizer.endOfMask)
        return tokens
    }

    /// A random training sequence for `entry` (keywords shuffled and capped, a keyword subset,
    /// text dropped or fill-in-the-middle with the configured rates).
    public func sequence(for entry: IconDataset.Entry, using generator: inout SeededGenerator) -> IconTrainingSequence {
        var words = entry.keywords
        words.shuffle(using: &generator)
        var kept = min(words.count, maximumWords)
        // No draw at rate 0, so a rate-0 run draws the same random numbers as one without subsets.
        if keywordSubsetRate > 0, kept > 1, Double.random(in: 0..<1, using: &generator) < keywordSubsetRate {
            kept = Int.random(in: 1...kept, using: &generator)
        }
        var text = tokenizer.encodeText(words.prefix(kept).joined(separator: " "))
        if Double.random(in: 0..<1, using: &generator) < dropTextRate { text = [] }
        // No draw without augmentation, so such a run draws the same random numbers as one without it.
        let svgTokens = augmentation > 0 ? augmented(entry.tokens, using: &generator) : entry.tokens
        let runs = pathRuns(svgTokens)
        let tokens: [Int]
        if runs.count >= 2, Double.random(in: 0..<1, using: &generator) < fillInTheMiddleRate {
            tokens = fillInTheMiddle(text: text, svgTokens: svgTokens, path: Int.random(in: 0..<runs.count, using: &generator))
        } else {
            tokens = [IconTokenizer.bos] + text + [IconTokenizer.separator] + svgTokens
        }
        return IconTrainingSequence(tokens: tokens, weights: weights(for: tokens))
    }

    /// `svgTokens` with every point scaled about the bounding-box centre and moved, by a random
    /// affine map of strength ``augmentation`` that keeps the icon inside the grid; command
    /// and structure tokens are unchanged.
    public func augmented(_ svgTokens: [Int], using generator: inout SeededGenerator) -> [Int] {
        let strength = max(0, min(augmentation, 0.9))
        let last = Double(tokenizer.gridSize - 1)
        var low = (x: Double.infinity, y: Double.infinity), high = (x: -Double.infinity, y: -Double.infinity)
        for token in svgTokens {
            if tokenizer.isX(token) {
                let x = Double(token - tokenizer.xBase)
                low.x = min(low.x, x); high.x = max(high.x, x)
            } else if tokenizer.isY(token) {
                let y = Double(token - tokenizer.yBase)
                low.y = min(low.y, y); high.y = max(high.y, y)
            }
        }
        guard low.x <= high.x, low.y <= high.y else { return svgTokens }
        let extent = max(high.x - low.x, high.y - low.y)
        let largest = extent > 0 ? min(1 + strength, last / extent) : 1 + strength
        let scale = Double.random(in: min(1 - strength, largest)...largest, using: &generator)
        let centre = (x: (low.x + high.x) / 2, y: (low.y + high.y) / 2)
        // The shift keeps the scaled bounding box inside [0, W - 1].
        func shift(_ centre: Double, _ halfExtent: Double) -> Double {
            let lower = max(-strength * last / 2, halfExtent - centre)
            let upper = min(strength * last / 2, last - halfExtent - centre)
            return lower < upper ? Double.random(in: lower...upper, using: &generator) : (lower + upper) / 2
        }
        let move = (x: shift(centre.x, scale * (high.x - low.x) / 2), y: shift(centre.y, scale * (high.y - low.y) / 2))
        func map(_ value: Int, _ centre: Double, _ move: Double) -> Int {
            Int(min(max((scale * (Double(value) - centre) + centre + move).rounded(), 0), last))
        }
        return svgTokens.map { token in
            if tokenizer.isX(token) { return tokenizer.xBase + map(token - tokenizer.xBase, centre.x, move.x) }
            if tokenizer.isY(token) { return tokenizer.yBase + map(token - tokenizer.yBase, centre.y, move.y) }
            return token
        }
    }

    /// `batchSize` training sequences of random icons (`entries[indices[...]]`, drawn with
    /// replacement).
    ///
    /// With `bucketPool` > 1, `batchSize * bucketPool` sequences are drawn, sorted by length,
    /// and one of the `bucketPool` runs of `batchSize` neighbours is returned, chosen at random:
    /// every drawn sequence has the same chance `1 / bucketPool` of being used, so each icon is
    /// as likely as with plain random batches, but a batch's sequences have similar lengths
    /// and little padding. `bucketPool` 1 gives plain random batches.
    public func randomBatch(from entries: [IconDataset.Entry], indices: [Int], batchSize: Int, bucketPool: Int = 1,
                            using generator: inout SeededGenerator) -> [IconTrainingSequence] {
        precondition(!indices.isEmpty && batchSize > 0 && bucketPool > 0, "randomBatch needs icons, a batch size and a pool")
        let pool = (0..<batchSize * bucketPool).map { _ in
            sequence(for: entries[indices[Int.random(in: 0..<indices.count, using: &generator)]], using: &generator)
        }
        guard bucketPool > 1 else { return pool }
        // A stable sort keeps the draw order among equal lengths, so batches are reproducible.
        let sorted = pool.enumerated().sorted { ($0.element.tokens.count, $0.offset) < ($1.element.tokens.count, $1.offset) }.map(\.element)
        let first = Int.random(in: 0..<bucketPool, using: &generator) * batchSize
        return Array(sorted[first..<first + batchSize])
    }

    /// Per-target weights: targets at positions 1... that are text or the separator get
    /// `textWeight`, all others `svgWeight`.
    public func weights(for tokens: [Int]) -> [Float] {
        tokens.dropFirst().map { tokenizer.isWord($0) || $0 == IconTokenizer.separator ? textWeight : svgWeight }
    }

    /// A padded batch: inputs `[B][T]`, flattened targets (`ignoreIndex` = -100 on padding)
    /// and weights, `T` the longest sequence minus one.
    public static func batch(_ sequences: [IconTrainingSequence]) -> (inputs: [[Int]], targets: [Int], weights: [Float]) {
        let time = sequences.map { $0.tokens.count - 1 }.max() ?? 0
        var inputs: [[Int]] = [], targets: [Int] = [], weights: [Float] = []
        for sequence in sequences {
            let count = sequence.tokens.count - 1
            let padding = time - count
            inputs.append(Array(sequence.tokens.dropLast()) + Array(repeating: IconTokenizer.pad, count: padding))
            targets += Array(sequence.tokens.dropFirst()) + Array(repeating: -100, count: padding)
            weights += sequence.weights + Array(repeating: 0, count: padding)
        }
        return (inputs, targets, weights)
    }
}
