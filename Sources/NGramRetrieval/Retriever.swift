import FMIndex
import Foundation
import Generation

// SEAL end to end (Bevilacqua et al. 2022): keys = constrained beam search over bodies and
// titles (Section 3.2) + query word n-grams, each scored by the generator's log P(n | q);
// documents ranked by SEAL's weighted aggregation (Sections 3.3-3.4, see SEALScoring.swift).

/// A ranked passage with the n-grams that matched it.
public struct SearchHit: Sendable, Equatable {
    /// 1-based rank.
    public var rank: Int
    /// The passage.
    public var passage: Passage
    /// SEAL score.
    public var score: Double
    /// Matched n-grams as text with their contributions, best first.
    public var ngrams: [(text: String, score: Double)]
    /// The passage body cut into pieces, each flagged when it lies inside a matched n-gram.
    public var segments: [(text: String, matched: Bool)]
    /// The passage title cut the same way (empty for a passage without a title).
    public var titleSegments: [(text: String, matched: Bool)] = []

    /// Equal rank, passage and score; `ngrams` and `segments` (tuples, not `Equatable`) are not compared.
    public static func == (lhs: SearchHit, rhs: SearchHit) -> Bool {
        lhs.rank == rhs.rank && lhs.passage == rhs.passage && lhs.score == rhs.score
    }
}

/// What SEAL ranks passages with for one query.
public struct QueryEvidence: Sendable {
    /// Generated, query and title keys with log P(n | q).
    public var keys: [NGramKey]
    /// log P(first token of a body n-gram | q) over the vocabulary (SEAL's unigram scores).
    public var unigramLogProbabilities: [Double]
}

/// The `retrieve` application's facade: load an index folder with its generator, search.
///
/// ```swift
/// let retriever = try Retriever(directory: URL(fileURLWithPath: "assets/retrieve"))
/// for hit in try retriever.search("Which NFL team represented the AFC at Super Bowl 50?", limit: 3) {
///     print(hit.rank, hit.passage.id, hit.score)
/// }
/// ```
public final class Retriever: Sendable {
    /// The index.
    public let index: RetrievalIndex
    /// The generator of P(n | q).
    public let generator: NGramGenerator
    /// Scoring over the index.
    public let scoring: SEALScoring
    /// The search settings chosen for this generator (its `search.json`; SEAL's defaults
    /// without one). The commands start from these; ``search(_:limit:settings:)`` does not.
    public let defaultSettings: SearchSettings
    /// The corpus words by stem (for ``QueryKeyForms/stemmed``).
    public let wordForms: WordForms

    /// Loads an index folder, its trained generator and the generator's `search.json`.
    public convenience init(directory: URL) throws {
        let index = try RetrievalIndex(directory: directory)
        let generator = try NGramGenerator(directory: index.generatorDirectory)
        let settings = try SearchSettings.load(
            from: IndexFolder.resolve(index.generatorDirectory).appendingPathComponent(SearchSettings.fileName))
        try self.init(index: index, generator: generator, defaultSettings: settings)
    }

    /// Combines an index and a generator whose vocabulary matches the index tokenizer's;
    /// `defaultSettings` become ``defaultSettings`` (the commands' starting point).
    ///
    /// - Throws: ``RetrievalError/invalidIndex(path:reason:)`` when the vocabularies differ.
    public init(index: RetrievalIndex, generator: NGramGenerator, defaultSettings: SearchSettings = SearchSettings()) throws {
        guard generator.vocabularySize == index.tokenizer.vocabularySize else {
            throw RetrievalError.invalidIndex(
                path: index.directory.path,
                reason: "generator has \(generator.vocabularySize) token ids, the tokenizer \(index.tokenizer.vocabularySize)")
        }
        self.index = index
        self.generator = generator
        self.defaultSettings = defaultSettings
        let markers: Set<Int> = [index.tokenizer.endOfText, index.tokenizer.titleStart, index.tokenizer.titleEnd, index.tokenizer.bodyMarker]
        scoring = SEALScoring(index: index.fmIndex, excludedUnigrams: markers)
        wordForms = WordForms(texts: index.passages.lazy.flatMap { [$0.displayTitle, $0.text] })
    }

    /// The best `limit` passages for `query`.
    ///
    /// - Parameters:
    ///   - query: free text; its tokens are cut to leave room for the n-grams in the
    ///     generator's context.
    ///   - limit: passages returned at most (>= 1); fewer when fewer passages match any key.
    ///   - settings: key generation and scoring.
    /// - Returns: hits ranked by SEAL score, best first, `rank` from 1.
    /// - Throws: ``RetrievalError/invalidSetting(field:reason:)`` for a limit below 1 or an
    ///   out-of-range setting; generation errors.
    public func search(_ query: String, limit: Int = 10, settings: SearchSettings = SearchSettings()) throws -> [SearchHit] {
        guard limit >= 1 else { throw RetrievalError.invalidSetting(field: "k", reason: "must be >= 1, got \(limit)") }
        let ranked = rank(evidence: try evidence(for: query, settings: settings), settings: settings.scoring, limit: limit)
        return ranked.enumerated().map { position, scored in hit(scored, rank: position + 1) }
    }

    /// The scored keys SEAL would use for `query`.
    public func keys(for query: String, settings: SearchSettings = SearchSettings()) throws -> [NGramKey] {
        try evidence(for: query, settings: settings).keys
    }

    /// The keys and unigram distribution for `query` (generate once, rank with several settings).
    public func evidence(for query: String, settings: SearchSettings = SearchSettings()) throws -> QueryEvidence {
        try evidence(for: [query], settings: settings, prepack: false)[0]
    }

    /// The evidence for many queries; with `prepack`, all their prompts are prefilled as one
    /// packed batch (prepacking) before the per-query constrained searches. The result is
    /// the same as one query at a time, up to float rounding.
    public func evidence(for queries: [String], settings: SearchSettings = SearchSettings(), prepack: Bool) throws -> [QueryEvidence] {
        try settings.validate()
        let tokenizer = index.tokenizer
        let room = generator.contextLength - max(settings.bodyLength, settings.titleLength) - 2
        let queryTokens = queries.map { Array(tokenizer.encode(query: $0).prefix(max(room, 1))) }
        var prompts = queryTokens.map { tokenizer.prompt(queryTokens: $0, target: .body) }
        if settings.decodeTitles { prompts += queryTokens.map { tokenizer.prompt(queryTokens: $0, target: .title) } }
        let prefilled = try generator.prefill(prompts, packed: prepack)
        return try queries.indices.map { position in
            try evidence(query: queries[position], body: prefilled[position],
                         title: settings.decodeTitles ? prefilled[queries.count + position] : nil, settings: settings)
        }
    }

    func evidence(query: String, body: PrefilledPrompt, title: PrefilledPrompt?, settings: SearchSettings) throws -> QueryEvidence {
        let tokenizer = index.tokenizer
        let logWeight = log(settings.generatorWeight)
        // Candidates to score with the generator, and the keys they form: a body n-gram is a key
        // on its own; a case-folded query key pools the candidates of its case forms.
        var candidates: [[Int]] = []
        var groups: [(source: NGramKey.Source, candidates: Range<Int>)] = []
        if settings.decodeBody {
            for hypothesis in try beams(prompt: body, settings: settings, title: false) {
                groups.append((.body, candidates.count..<(candidates.count + 1)))
                candidates.append(hypothesis)
            }
        }
        if settings.queryKeys {
            var seen = Set(candidates)
            let strings: [[String]] = switch settings.queryKeyForms {
            case .asWritten: QueryKeys.strings(query, maximumLength: settings.queryKeyLength).map { [$0] }
            case .caseFolded: QueryKeys.groups(query, maximumLength: settings.queryKeyLength)
            case .stemmed: QueryKeys.groups(query, maximumLength: settings.queryKeyLength, wordForms: wordForms.forms(of:))
            }
            for forms in strings {
                if !settings.stopwordQueryKeys && QueryKeys.isStopwords(forms[0]) { continue }
                var kept: [[Int]] = []
                for form in forms {
                    let tokens = tokenizer.encode(text: form)
                    if !tokens.isEmpty, !seen.contains(tokens), !kept.contains(tokens), index.fmIndex.count(tokens) > 0 { kept.append(tokens) }
                }
                // A form that holds another form of the key (" Tesla's" holds " Tesla", ".-based"
                // from "U.S.-based" holds "-based") occurs only where that one does: counting,
                // scoring or matching it too would count those places twice, so the shorter
                // form stands for both.
                kept = kept.filter { form in !kept.contains { $0.count < form.count && form.contains($0) } }
                guard !kept.isEmpty else { continue }
                seen.formUnion(kept)
                groups.append((.query, candidates.count..<(candidates.count + kept.count)))
                candidates += kept
            }
        }
        var keys: [NGramKey] = []
        if !candidates.isEmpty {
            let logProbabilities = try generator.logProbabilities(after: body, continuations: candidates)
            for group in groups {
                var logProbability = Self.logSumExp(group.candidates.map { logProbabilities[$0].reduce(0, +) }) + logWeight
                if group.source == .query {
                    if let floor = settings.queryKeyFloor { logProbability = min(Self.logSumExp([logProbability, floor]), 0) }
                    logProbability = settings.queryKeyLogProbability ?? logProbability
                }
                let tokens = candidates[group.candidates.lowerBound]
                keys.append(NGramKey(tokens: tokens, logProbability: logProbability, source: group.source,
                                     variants: group.candidates.dropFirst().map { candidates[$0] }))
                if settings.bodyPrefixes && group.source == .body {
                    let perToken = logProbabilities[group.candidates.lowerBound]
                    var total = logWeight
                    for length in 1..<tokens.count {
                        total += perToken[length - 1]
                        keys.append(NGramKey(tokens: Array(tokens[..<length]), logProbability: total, source: .body))
                    }
                }
            }
        }
        if let title {
            let titleCandidates = try beams(prompt: title, settings: settings, title: true)
            if !titleCandidates.isEmpty {
                let logProbabilities = try generator.logProbabilities(after: title, continuations: titleCandidates)
                for (tokens, perToken) in zip(titleCandidates, logProbabilities) {
                    keys.append(NGramKey(tokens: [tokenizer.titleStart] + tokens,
                                         logProbability: perToken.reduce(0, +) + logWeight, source: .title))
                }
            }
        }
        return QueryEvidence(keys: keys, unigramLogProbabilities: NGramGenerator.logSoftmax(body.lastLogits).map { $0 + logWeight })
    }

    /// log(sum of e^v) over non-empty finite `values`, without overflow.
    static func logSumExp(_ values: [Double]) -> Double {
        let highest = values.max() ?? -.infinity
        return highest + log(values.reduce(0) { $0 + exp($1 - highest) })
    }

    /// Ranks passages for already generated evidence.
    public func rank(evidence: QueryEvidence, settings: ScoringSettings, limit: Int) -> [ScoredDocument] {
        scoring.rank(keys: evidence.keys, unigramLogProbabilities: evidence.unigramLogProbabilities, settings: settings, limit: limit)
    }

    /// Ranks passages for already generated keys (no unigram evidence).
    public func rank(keys: [NGramKey], settings: ScoringSettings, limit: Int) -> [ScoredDocument] {
        scoring.rank(keys: keys, settings: settings, limit: limit)
    }

    /// Constrained beam search; body n-grams of fixed length, or whole titles (tokens after
    /// the title-start marker, ending with the title-end marker).
    func beams(prompt: PrefilledPrompt, settings: SearchSettings, title: Bool) throws -> [[Int]] {
        let tokenizer = index.tokenizer
        var generation = GenerationSettings()
        generation.mode = .beamSearch
        generation.beamCount = settings.beamCount
        generation.hypothesisCount = settings.beamCount
        generation.lengthPenalty = title ? 1 : 0
        generation.maxNewTokens = title ? settings.titleLength : settings.bodyLength
        let markers = [tokenizer.endOfText, tokenizer.titleStart, tokenizer.titleEnd, tokenizer.bodyMarker]
        if title {
            generation.stopTokens = [tokenizer.titleEnd]
            generation.bannedTokens = markers.filter { $0 != tokenizer.titleEnd }
        } else {
            generation.bannedTokens = markers
        }
        let constraint = FMIndexConstraintProcessor.factory(index: index.fmIndex, prefix: title ? [tokenizer.titleStart] : [])
        let hypotheses: [BeamHypothesis]
        do {
            hypotheses = try BeamSearch(model: generator.model).search(
                prompt: prompt.tokens, prefilled: generator.model.copyState(prompt.state), lastLogits: prompt.lastLogits,
                settings: generation, processors: [constraint])
        } catch GenerationError.noValidToken {
            return []
        }
        if title {
            return hypotheses.compactMap { hypothesis in
                guard case .stopToken = hypothesis.finishReason, !hypothesis.tokens.isEmpty else { return nil }
                return hypothesis.tokens + [tokenizer.titleEnd]
            }
        }
        return hypotheses.map(\.tokens).filter { !$0.isEmpty }
    }

    /// Turns a scored document into a hit with text and highlighted segments.
    public func hit(_ scored: ScoredDocument, rank: Int) -> SearchHit {
        let tokenizer = index.tokenizer
        let tokens = scoring.documents[scored.document]
        // A stemmed query key's form may start with the punctuation before its word
        // (" (PPPs", WordForms): highlight and name such a one-word n-gram from its first word
        // token. N-grams of several words (generated ones) are shown whole.
        let hasWord = { (token: Int) in tokenizer.decode([token]).contains { $0.isLetter || $0.isNumber } }
        func leadingPunctuation(_ ngram: some Collection<Int>) -> Int {
            guard let first = ngram.firstIndex(where: hasWord), first != ngram.startIndex,
                  !tokenizer.decode(Array(ngram[first...])).trimmingCharacters(in: .whitespaces).contains(where: \.isWhitespace)
            else { return 0 }
            return ngram.distance(from: ngram.startIndex, to: first)
        }
        var matched = [Bool](repeating: false, count: tokens.count)
        for ngram in scored.ngrams {
            for span in ngram.spans {
                for position in span.dropFirst(leadingPunctuation(tokens[span])) { matched[position] = true }
            }
        }
        // Runs of equally flagged tokens in `range`, decoded.
        func segments(_ range: Range<Int>) -> [(text: String, matched: Bool)] {
            var result: [(text: String, matched: Bool)] = []
            var start = range.lowerBound
            while start < range.upperBound {
                var end = start
                while end < range.upperBound && matched[end] == matched[start] { end += 1 }
                result.append((tokenizer.decode(Array(tokens[start..<end])), matched[start]))
                start = end
            }
            return result
        }
        let titleEnd = tokens.firstIndex(of: tokenizer.titleEnd)
        let titleStart = titleEnd.map { end in (tokens[..<end].firstIndex(of: tokenizer.titleStart) ?? -1) + 1 }
        var hit = SearchHit(rank: rank, passage: index.passages[scored.document], score: scored.score,
                            ngrams: scored.ngrams.map { (tokenizer.decode(Array($0.tokens.dropFirst(leadingPunctuation($0.tokens)))).trimmingCharacters(in: .whitespaces), $0.score) },
                            segments: segments(((titleEnd ?? -1) + 1)..<tokens.count))
        if let titleStart, let titleEnd { hit.titleSegments = segments(titleStart..<titleEnd) }
        return hit
    }
}
