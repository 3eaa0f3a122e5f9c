import Foundation

// Where SEAL's training spans start (Bevilacqua et al. 2022, Section 4.1; the released
// scripts/training/make_supervised_dpr_dataset.py and make_unsupervised_dataset.py):
// - every target span starts at a word (never inside one) and not at a "bad" word (a short
//   list of articles and pronouns, or a word ending in .?! or starting with ( or [);
// - a supervised span starts at passage word i with probability proportional to
//   exp(sum over the question's word trigrams of fuzzy-ratio(question trigram, passage
//   trigram at i)), over the non-stopword positions, so the model learns to produce the
//   passage n-grams a question points at, starting with the words the two share.
// fuzzy-ratio is python-Levenshtein's ratio (what fuzzywuzzy's fuzz.ratio uses), rounded to
// whole percent as fuzz.ratio does: 2 * LCS / (|a| + |b|) on the lowercased strings.

/// The words of a tokenised passage body: where each starts (a token with a leading space)
/// and its text.
struct WordSegmentation: Sendable {
    /// Token index at which each word starts.
    var starts: [Int]
    /// Each word's text, trimmed.
    var words: [String]

    /// Splits `tokens` before every token whose spelling begins with a space.
    init(tokens: [Int], startsWord: [Bool], decode: ([Int]) -> String) {
        var starts: [Int] = []
        for (position, token) in tokens.enumerated() where position == 0 || (token < startsWord.count && startsWord[token]) {
            starts.append(position)
        }
        self.starts = starts
        words = starts.indices.map { index in
            let end = index + 1 < starts.count ? starts[index + 1] : tokens.count
            return decode(Array(tokens[starts[index]..<end])).trimmingCharacters(in: .whitespaces)
        }
    }
}

/// SEAL's rules for span starts.
enum SpanSelection {
    /// Words an unsupervised target span may not start with (make_unsupervised_dataset.py).
    static let badStarts: Set<String> = [
        "the", "The", "to", "a", "A", "an", "An", "he", "He", "his", "His", "him", "He's",
        "she", "She", "her", "Her", "she's", "She's", "it", "It", "its", "Its", "it's", "It's",
        "and", "And", "or", "Or", "this", "This", "that", "That", "those", "Those", "these", "These",
        "\"", "\"\"", "'", "''",
    ]

    /// NLTK's English stopwords (the `banned` set of make_supervised_dpr_dataset.py).
    static let stopwords: Set<String> = Set("""
        i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him his \
        himself she she's her hers herself it it's its itself they them their theirs themselves what which who whom \
        this that that'll these those am is are was were be been being have has had having do does did doing a an the \
        and but if or because as until while of at by for with about against between into through during before after \
        above below to from up down in out on off over under again further then once here there when where why how all \
        any both each few more most other some such no nor not only own same so than too very s t can will just don \
        don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn doesn't hadn \
        hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn \
        shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
        """.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })

    /// Whether an unsupervised target may start with `word` (`is_good` of the SEAL script).
    static func isGoodStart(_ word: String) -> Bool {
        guard let first = word.first, let last = word.last else { return false }
        return !badStarts.contains(word) && !"?.!".contains(last) && !"([".contains(first)
    }

    /// Start weights over the words of a passage for a question: `exp(sum of fuzzy ratios / t)`
    /// at non-stopword positions, 0 elsewhere (all 1 when nothing qualifies).
    static func supervisedWeights(question: String, passageWords: [String], temperature: Double = 1) -> [Double] {
        let queryWords = question.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        let lowered = passageWords.map { $0.lowercased() }
        let queryTrigrams = queryWords.indices.map { Array(queryWords[$0..<min($0 + 3, queryWords.count)].joined(separator: " ").utf8) }
        var weights = [Double](repeating: 0, count: lowered.count)
        var totals: [(position: Int, total: Double)] = []
        for position in lowered.indices where !stopwords.contains(lowered[position]) {
            let trigram = Array(lowered[position..<min(position + 3, lowered.count)].joined(separator: " ").utf8)
            var total = 0.0
            for query in queryTrigrams { total += (ratio(query, trigram) * 100).rounded() / 100 }
            totals.append((position, total))
        }
        guard let best = totals.map(\.total).max() else { return [Double](repeating: 1, count: lowered.count) }
        // Shifted by the best total so a low temperature cannot overflow exp.
        for (position, total) in totals { weights[position] = exp((total - best) / temperature) }
        return weights
    }

    /// `2 * LCS(a, b) / (|a| + |b|)`: python-Levenshtein's `ratio` (indel distance).
    static func ratio(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return 2 * Double(previous[b.count]) / Double(a.count + b.count)
    }

    /// An index drawn with probability proportional to `weights` (`unit` in [0, 1)).
    static func draw(_ weights: [Double], unit: Double) -> Int {
        var pick = unit * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            pick -= weight
            if pick < 0 { return index }
        }
        return max(weights.lastIndex { $0 > 0 } ?? 0, 0)
    }
}
