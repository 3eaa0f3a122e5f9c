import FMIndex
import Foundation

// SEAL's scoring: Bevilacqua et al. 2022, Section 3.3 (equation for w(n, q)) and Section 3.4
// (intersective scoring), as implemented in `aggregate_evidence` of the released code
// (seal/keys.py): n-gram weights from the conditional against the unconditional n-gram
// probability, a first stage over the rare n-grams' occurrences, then full scoring of the
// best documents with greedy non-overlapping matches and the coverage term. With the
// generator's first-token distribution given (SEAL's default `unigram_scores`), every
// vocabulary token gets a unigram weight from it (no exponent, as in the released code), the
// best of them join the keys (`add_best_unigrams_to_ngrams`), and in full scoring each token
// type on the positions no key covered adds its unigram weight (with the coverage term).
// Options not in SEAL, off by default, bring in BM25's term statistics (Robertson and Zaragoza
// 2009, "The Probabilistic Relevance Framework: BM25 and Beyond"): term-frequency saturation with
// length normalisation per key, and P(n) from document frequencies, which makes the weight the
// Robertson-Sparck Jones IDF.

/// How n-gram weights are aggregated into a document score.
public enum Aggregation: String, Sendable, Codable, CaseIterable {
    /// Plain sum of the weights of the distinct, non-overlapping n-grams a passage contains
    /// (SEAL's scoring with beta = 0).
    case sum
    /// Intersective scoring: each n-gram's weight is scaled by
    /// `1 - beta + beta * |tokens(n) \ covered| / |tokens(n)|`, where `covered` holds the
    /// tokens of the higher-scoring n-grams already counted for the passage.
    case intersective
}

/// What the unconditional probability P(n) of SEAL's n-gram weight counts.
public enum UnconditionalProbability: String, Sendable, Codable, CaseIterable {
    /// SEAL's: the n-gram's occurrences over all corpus tokens, `(count + s) / (tokens + s)`.
    case tokens
    /// The passages that contain the n-gram over all passages, `(df + s) / (passages + s)`
    /// (not in SEAL): the weight then is the Robertson-Sparck Jones IDF that BM25 uses, raised by
    /// the generator's confidence, and a word repeated in a few passages is not mistaken for a
    /// common one.
    case documents
}

/// Settings of ``SEALScoring``; defaults are SEAL's (`aggregate_evidence`).
public struct ScoringSettings: Codable, Sendable, Equatable {
    /// Aggregation. Default intersective.
    public var aggregation: Aggregation = .intersective
    /// Exponent on the weights. Default 2.
    public var alpha: Double = 2
    /// Coverage strength of intersective scoring. Default 0.8.
    public var beta: Double = 0.8
    /// Added to counts in the unconditional probability. Default 5.
    public var smoothing: Double = 5
    /// What P(n) counts. Default `.tokens`, SEAL's.
    public var unconditional = UnconditionalProbability.tokens
    /// n-grams occurring more often only take part in full scoring. Default 1500.
    public var maximumOccurrences = 1500
    /// Documents scored fully after the first stage (SEAL: `fully_score`). Default 1500.
    public var documentsToScore = 1500
    /// Use the generator's first-token distribution as unigram evidence (SEAL's
    /// `unigram_scores`, on in the released code but not in the paper). Default false: with
    /// the small generators trained here the first-token distribution is too flat, and the
    /// many small unigram weights favour long passages (docs/experiments/retrieve.md).
    public var unigramScores = false
    /// Add the best-weighted unigrams to the keys, as many as there are keys (SEAL's
    /// `add_best_unigrams_to_ngrams`). Default true.
    public var addBestUnigrams = true
    /// Only the most probable tokens get a unigram weight (SEAL: `use_top_k_ngrams`). Default 5000.
    public var topUnigrams = 5000
    /// BM25's term-frequency saturation `k1`, applied to each key: its contribution is
    /// multiplied by `tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen))`, where `tf` counts its
    /// non-overlapping matches in the passage and `len` is the passage's length in tokens.
    /// Not in SEAL, which counts a key once per passage whatever its length; 0 (the
    /// default) does exactly that.
    public var termSaturation: Double = 0
    /// BM25's length normalisation `b` inside ``termSaturation`` (no effect when it is 0).
    /// Default 0.75, BM25's.
    public var lengthNormalization: Double = 0.75

    /// The defaults documented on each field.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case aggregation, alpha, beta, smoothing, maximumOccurrences, documentsToScore, unigramScores, addBestUnigrams, topUnigrams
        case termSaturation, lengthNormalization, unconditional
    }

    /// Decodes settings; every missing field keeps its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        aggregation = try container.decodeIfPresent(Aggregation.self, forKey: .aggregation) ?? aggregation
        alpha = try container.decodeIfPresent(Double.self, forKey: .alpha) ?? alpha
        beta = try container.decodeIfPresent(Double.self, forKey: .beta) ?? beta
        smoothing = try container.decodeIfPresent(Double.self, forKey: .smoothing) ?? smoothing
        maximumOccurrences = try container.decodeIfPresent(Int.self, forKey: .maximumOccurrences) ?? maximumOccurrences
        documentsToScore = try container.decodeIfPresent(Int.self, forKey: .documentsToScore) ?? documentsToScore
        unigramScores = try container.decodeIfPresent(Bool.self, forKey: .unigramScores) ?? unigramScores
        addBestUnigrams = try container.decodeIfPresent(Bool.self, forKey: .addBestUnigrams) ?? addBestUnigrams
        topUnigrams = try container.decodeIfPresent(Int.self, forKey: .topUnigrams) ?? topUnigrams
        termSaturation = try container.decodeIfPresent(Double.self, forKey: .termSaturation) ?? termSaturation
        lengthNormalization = try container.decodeIfPresent(Double.self, forKey: .lengthNormalization) ?? lengthNormalization
        unconditional = try container.decodeIfPresent(UnconditionalProbability.self, forKey: .unconditional) ?? unconditional
    }
}

/// Turns scored n-gram keys into a passage ranking.
///
/// ```swift
/// let scoring = SEALScoring(index: fmIndex, documents: documents)
/// let ranked = scoring.rank(keys: keys, settings: ScoringSettings(), limit: 10)
/// ```
public struct SEALScoring: Sendable {
    /// The index that gives n-gram counts and occurrences.
    public let index: FMIndex
    /// Tokens of every document (for full scoring).
    public let documents: [[Int]]
    /// Tokens that never get a unigram weight (markers; SEAL excludes its special ids 0-2).
    public let excludedUnigrams: Set<Int>
    /// The in-memory suffix array that locates the first stage's occurrences in O(1) each.
    let locator: DenseLocator
    /// Where each document starts in one flat numbering of all positions (and the total).
    let documentBases: [Int]
    /// Mean document length in tokens (markers and title included), for length normalisation.
    let averageLength: Double
    /// Passages containing each token id (unigram weights with ``UnconditionalProbability/documents``).
    let tokenDocumentFrequencies: [Int]

    /// Scoring over `index`; its documents are read back from the index.
    public init(index: FMIndex, excludedUnigrams: Set<Int> = []) {
        self.index = index
        locator = index.makeDenseLocator()
        documents = locator.documentTokens
        var bases = [0]
        for document in documents { bases.append(bases.last! + document.count) }
        documentBases = bases
        averageLength = Double(bases.last ?? 0) / Double(max(documents.count, 1))
        var frequencies = [Int](repeating: 0, count: (documents.lazy.compactMap { $0.max() }.max() ?? -1) + 1)
        for document in documents { for token in Set(document) { frequencies[token] += 1 } }
        tokenDocumentFrequencies = frequencies
        self.excludedUnigrams = excludedUnigrams
    }

    /// Scoring over `index` whose documents are `documents` (as indexed).
    public init(index: FMIndex, documents: [[Int]], excludedUnigrams: Set<Int> = []) {
        self.init(index: index, excludedUnigrams: excludedUnigrams)
        precondition(self.documents == documents, "documents differ from the index's")
    }

    /// SEAL's n-gram weight before the exponent:
    /// `max(0, log(P(n|q) (1 - P(n)) / (P(n) (1 - P(n|q)))))` with
    /// `P(n) = (count + smoothing) / (totalTokens + smoothing)`.
    ///
    /// - Parameters:
    ///   - logProbability: log P(n | q); 0 is treated as -1e-10 (as SEAL does) so the odds stay finite.
    ///   - count: occurrences of n in the corpus; 0 gives weight 0.
    public static func weight(logProbability: Double, count: Int, totalTokens: Int, smoothing: Double) -> Double {
        guard count > 0 else { return 0 }
        let conditional = min(logProbability, 0) - 1e-10
        let unconditional = log((Double(count) + smoothing) / (Double(totalTokens) + smoothing))
        let odds = (conditional + log1p(-exp(unconditional))) - (unconditional + log1p(-exp(conditional)))
        return max(odds, 0)
    }

    /// The weight of a key with surface forms `forms` (before the exponent): SEAL's
    /// ``weight(logProbability:count:totalTokens:smoothing:)`` with the forms' pooled
    /// count over the corpus tokens, or their document frequency over the passages
    /// (``ScoringSettings/unconditional``).
    public func weight(forms: [[Int]], logProbability: Double, settings: ScoringSettings) -> Double {
        switch settings.unconditional {
        case .tokens:
            return Self.weight(logProbability: logProbability, count: forms.reduce(0) { $0 + index.count($1) },
                               totalTokens: index.tokenCount, smoothing: settings.smoothing)
        case .documents:
            var passages = Set<Int>()
            for form in forms { for occurrence in locator.locate(index.range(of: form)) { passages.insert(occurrence.document) } }
            return Self.weight(logProbability: logProbability, count: passages.count, totalTokens: documents.count,
                               smoothing: settings.smoothing)
        }
    }

    /// The coverage factor of intersective scoring.
    public static func coverage(of ngram: Set<Int>, covered: Set<Int>, beta: Double) -> Double {
        guard !covered.isEmpty, !ngram.isEmpty else { return 1 }
        return 1 - beta + beta * Double(ngram.subtracting(covered).count) / Double(ngram.count)
    }

    /// BM25's saturation factor for a key matched `occurrences` times in a passage of `length`
    /// tokens: `tf (k1 + 1) / (tf + k1 (1 - b + b length / averageLength))`; 1 when `k1` is 0.
    public static func saturation(occurrences: Int, length: Int, averageLength: Double, k1: Double, b: Double) -> Double {
        guard k1 > 0, occurrences > 0 else { return 1 }
        let tf = Double(occurrences)
        let relativeLength = averageLength > 0 ? Double(length) / averageLength : 1
        return tf * (k1 + 1) / (tf + k1 * (1 - b + b * relativeLength))
    }

    /// Unigram weights per token id from the generator's first-token log-probabilities:
    /// SEAL's weight without the exponent, 0 for excluded tokens, tokens that already are
    /// single-token keys, and tokens outside the `topUnigrams` most probable. P(n) counts tokens
    /// or passages as ``ScoringSettings/unconditional`` says.
    public func unigramWeights(logProbabilities: [Double], singleTokenKeys: Set<Int>, settings: ScoringSettings) -> [Double] {
        var weights = [Double](repeating: 0, count: logProbabilities.count)
        let best = logProbabilities.count <= settings.topUnigrams
            ? Set(logProbabilities.indices)
            : Set(logProbabilities.indices.sorted { logProbabilities[$0] > logProbabilities[$1] }.prefix(settings.topUnigrams))
        for token in logProbabilities.indices where best.contains(token) {
            if excludedUnigrams.contains(token) || singleTokenKeys.contains(token) { continue }
            switch settings.unconditional {
            case .tokens:
                weights[token] = Self.weight(logProbability: logProbabilities[token], count: index.count([token]),
                                             totalTokens: index.tokenCount, smoothing: settings.smoothing)
            case .documents:
                let frequency = token < tokenDocumentFrequencies.count ? tokenDocumentFrequencies[token] : 0
                weights[token] = Self.weight(logProbability: logProbabilities[token], count: frequency,
                                             totalTokens: documents.count, smoothing: settings.smoothing)
            }
        }
        return weights
    }

    /// The best `limit` documents for `keys`, best first (ties: lower document index).
    ///
    /// - Parameter unigramLogProbabilities: the generator's log-probabilities of the first
    ///   token of a body n-gram (used when `settings.unigramScores`); nil for keys alone.
    public func rank(keys: [NGramKey], unigramLogProbabilities: [Double]? = nil, settings: ScoringSettings,
                     limit: Int) -> [ScoredDocument] {
        let beta = settings.aggregation == .sum ? 0 : settings.beta
        // Weigh each distinct key once (its best log-probability); a key's count pools its forms.
        var best: [[[Int]]: Double] = [:]
        for key in keys where !key.tokens.isEmpty {
            let forms = key.forms.filter { !$0.isEmpty }
            best[forms] = max(best[forms] ?? -.infinity, key.logProbability)
        }
        var weighted: [WeightedKey] = []
        for (forms, logProbability) in best {
            let count = forms.reduce(0) { $0 + index.count($1) }
            let weight = pow(self.weight(forms: forms, logProbability: logProbability, settings: settings), settings.alpha)
            if weight > 0 { weighted.append(WeightedKey(forms: forms, score: weight, count: count)) }
        }
        var typeWeights: [Double]?
        if settings.unigramScores, let unigramLogProbabilities {
            let singles = Set(best.keys.flatMap { $0 }.filter { $0.count == 1 }.map { $0[0] })
            let weights: [Double] = unigramWeights(logProbabilities: unigramLogProbabilities, singleTokenKeys: singles, settings: settings)
            typeWeights = weights
            if settings.addBestUnigrams {
                let top: [Int] = weights.indices.sorted { (a: Int, b: Int) -> Bool in
                    weights[a] != weights[b] ? weights[a] > weights[b] : a < b
                }
                for token in top.prefix(best.count) where weights[token] > 0 && best[[[token]]] == nil {
                    weighted.append(WeightedKey(forms: [[token]], score: weights[token], count: index.count([token])))
                }
            }
        }
        weighted.sort { $0.score != $1.score ? $0.score > $1.score : $0.forms.lexicographicallyPrecedes($1.forms) { $0.lexicographicallyPrecedes($1) } }

        // First stage: occurrences of the rare n-grams, non-overlapping, coverage applied (with
        // the token set of the key's first form found in the document).
        let sets = weighted.map { $0.forms.map(Set.init) }
        var covered = [Bool](repeating: false, count: documentBases.last ?? 0)
        var firstStage: [Int: [(key: Int, form: Int)]] = [:]
        for (keyIndex, key) in weighted.enumerated() where key.count <= settings.maximumOccurrences {
            var done = Set<Int>()
            for (formIndex, form) in key.forms.enumerated() {
                for occurrence in locator.locate(index.range(of: form), limit: settings.maximumOccurrences) {
                    let start = documentBases[occurrence.document] + occurrence.offset
                    let positions = start..<(start + form.count)
                    guard positions.allSatisfy({ !covered[$0] }) else { continue }
                    for position in positions { covered[position] = true }
                    if done.insert(occurrence.document).inserted {
                        firstStage[occurrence.document, default: []].append((keyIndex, formIndex))
                    }
                }
            }
        }
        var firstScores: [(document: Int, score: Double)] = firstStage.map { document, keys in
            var coveredTokens = Set<Int>()
            var total = 0.0
            for (key, form) in keys {
                total += weighted[key].score * Self.coverage(of: sets[key][form], covered: coveredTokens, beta: beta)
                coveredTokens.formUnion(sets[key][form])
            }
            return (document, total)
        }
        firstScores.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }

        // Full scoring of the best documents with every weighted n-gram: scores for all of
        // them, the matched n-grams only for the `limit` best.
        let table = KeyTable(keys: weighted.map(\.forms), unigramWeights: typeWeights)
        var unused: [MatchedNGram] = []
        var scored = firstScores.prefix(settings.documentsToScore).map { candidate in
            (document: candidate.document,
             score: fullScore(document: candidate.document, weighted: weighted, sets: sets, table: table, beta: beta,
                              settings: settings, collect: false, ngrams: &unused))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        return scored.prefix(limit).map { candidate in
            var ngrams: [MatchedNGram] = []
            let score = fullScore(document: candidate.document, weighted: weighted, sets: sets, table: table, beta: beta,
                                  settings: settings, collect: true, ngrams: &ngrams)
            // Best contribution first (saturation can reorder keys sorted by weight).
            let ordered = ngrams.enumerated().sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
            return ScoredDocument(document: candidate.document, score: score, ngrams: ordered.map(\.element))
        }
    }

    /// A key in scoring: its surface forms, weight and pooled corpus count.
    struct WeightedKey {
        var forms: [[Int]]
        var score: Double
        var count: Int
    }

    /// Key forms by first token (CSR layout over token ids) and the unigram weights.
    struct KeyTable {
        let starts: [Int]
        let entries: [(key: Int, form: Int)]
        let unigramWeights: [Double]?

        init(keys: [[[Int]]], unigramWeights: [Double]?) {
            let all = keys.enumerated().flatMap { key, forms in forms.indices.map { (key: key, form: $0, first: forms[$0][0]) } }
            let size = max(all.map(\.first).max() ?? 0, (unigramWeights?.count ?? 0) - 1) + 1
            var counts = [Int](repeating: 0, count: size + 1)
            for entry in all { counts[entry.first + 1] += 1 }
            for index in 1..<counts.count { counts[index] += counts[index - 1] }
            var fill = counts
            var entries = [(key: Int, form: Int)](repeating: (0, 0), count: all.count)
            for entry in all {
                entries[fill[entry.first]] = (entry.key, entry.form)
                fill[entry.first] += 1
            }
            starts = counts
            self.entries = entries
            self.unigramWeights = unigramWeights
        }

        @inline(__always) func entries(startingWith token: Int) -> ArraySlice<(key: Int, form: Int)> {
            token + 1 < starts.count ? entries[starts[token]..<starts[token + 1]] : []
        }
    }

    /// Greedy non-overlapping matching in one document, best n-gram first (each key scaled by
    /// its coverage term and, with ``ScoringSettings/termSaturation``, by its saturated match
    /// count), then the unigram weights of the token types left on free positions. Returns
    /// the score; appends the matched n-grams to `ngrams` when `collect`.
    func fullScore(document: Int, weighted: [WeightedKey], sets: [[Set<Int>]],
                   table: KeyTable, beta: Double, settings: ScoringSettings, collect: Bool,
                   ngrams: inout [MatchedNGram]) -> Double {
        let tokens = documents[document]
        var matches: [(key: Int, form: Int, start: Int)] = []
        for start in tokens.indices {
            for entry in table.entries(startingWith: tokens[start]) {
                let ngram = weighted[entry.key].forms[entry.form]
                if start + ngram.count <= tokens.count && tokens[start..<(start + ngram.count)].elementsEqual(ngram) {
                    matches.append((entry.key, entry.form, start))
                }
            }
        }
        matches.sort { $0.key != $1.key ? $0.key < $1.key : $0.start < $1.start }  // keys are sorted by score
        var free = [Bool](repeating: true, count: tokens.count)
        var coveredTokens = Set<Int>()
        var total = 0.0
        // The key being matched: its score after the coverage term, and its spans so far.
        var current: (key: Int, form: Int, score: Double, spans: [Range<Int>])?
        func finish() {
            guard let current else { return }
            let score = current.score * Self.saturation(occurrences: current.spans.count, length: tokens.count, averageLength: averageLength,
                                                        k1: settings.termSaturation, b: settings.lengthNormalization)
            total += score
            if collect { ngrams.append(MatchedNGram(tokens: weighted[current.key].forms[current.form], score: score, spans: current.spans)) }
        }
        for match in matches {
            let key = weighted[match.key]
            let span = match.start..<(match.start + key.forms[match.form].count)
            guard free[span].allSatisfy({ $0 }) else { continue }
            if current?.key == match.key {
                current?.spans.append(span)
            } else {
                let score = key.score * Self.coverage(of: sets[match.key][match.form], covered: coveredTokens, beta: beta)
                guard score > 0 else { continue }
                finish()
                coveredTokens.formUnion(sets[match.key][match.form])
                current = (match.key, match.form, score, [span])
            }
            for position in span { free[position] = false }
        }
        finish()
        if let unigramWeights = table.unigramWeights {
            var seen = Set<Int>()
            for (position, token) in tokens.enumerated() where free[position] && token < unigramWeights.count {
                guard unigramWeights[token] > 0, seen.insert(token).inserted else { continue }
                let score = unigramWeights[token] * (coveredTokens.contains(token) ? 1 - beta : 1)
                guard score > 0 else { continue }
                total += score
                if collect { ngrams.append(MatchedNGram(tokens: [token], score: score, spans: [position..<(position + 1)])) }
            }
        }
        return total
    }
}
