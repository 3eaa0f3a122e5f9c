import Tensors

// Training data of the n-gram generator, following SEAL (Bevilacqua et al. 2022, Section 4.1
// and scripts/training/make_*_dataset.py of the released code; span rules in
// SpanSelection.swift):
// - supervised: question -> title of its gold passage, and question -> a 10-token span of the
//   gold passage starting at a word drawn with SEAL's fuzzy-trigram weights;
// - unsupervised, for every passage: a 10-word span -> a 10-token span starting at another
//   (good) word, a 1-15-word span -> the title, the title -> a body span; 10% of the
//   unsupervised sources are lowercased, as in make_unsupervised_dataset.py;
// - optionally (copyFraction > 0, not in SEAL) noisy-copy pairs: 6-16 words of a passage with
//   each word dropped with probability 0.15 -> a 10-token span starting at one of the kept
//   words. SEAL fine-tunes BART, which copies from its input after denoising pretraining; a
//   small generator trained from scratch never learns to copy a rare query word without them;
// - optionally (pseudoQuestionFraction > 0, not in SEAL) pseudo-questions made from passage
//   sentences, trained as supervised pairs (TrainingPairs+PseudoQuestions.swift).

/// One training example: the model reads `prompt` and learns to produce `target`.
public struct GeneratorExample: Sendable, Equatable {
    /// Query tokens followed by the target marker.
    public var prompt: [Int]
    /// The n-gram (for titles: the title tokens and the title-end marker).
    public var target: [Int]
}

/// Samples SEAL's training pairs on the fly from tokenised passages and questions.
///
/// ```swift
/// let pairs = TrainingPairs(tokenizer: index.tokenizer, documents: documents, questions: questions)
/// var generator = SeededGenerator(seed: 1)
/// let batch = (0..<32).map { _ in pairs.sample(using: &generator) }
/// ```
public struct TrainingPairs: Sendable {
    /// A tokenised question with its gold passage (a document index).
    public struct Question: Sendable {
        /// The question's token ids (``PassageTokenizer/encode(query:)``).
        public var tokens: [Int]
        /// Index of the gold passage in the FM-index.
        public var document: Int
        /// A question with its gold passage.
        public init(tokens: [Int], document: Int) {
            self.tokens = tokens
            self.document = document
        }
    }

    let tokenizer: PassageTokenizer
    /// Per document: title n-gram (markers included) and body tokens.
    let titles: [[Int]]
    let bodies: [[Int]]
    /// Per document: the body's words.
    let words: [WordSegmentation]
    /// Per document: indices (into `words`) where an unsupervised target may start.
    let goodStarts: [[Int]]
    let questions: [Question]
    /// Per question: span-start weights over its passage's words.
    let questionWeights: [[Double]]
    /// Length of body n-gram targets in tokens (SEAL: 10). Default 10.
    public var spanLength = 10
    /// Words in an unsupervised source span (SEAL: 10). Default 10.
    public var sourceWords = 10
    /// Share of supervised examples when questions exist. Default 0.5.
    public var supervisedFraction = 0.5
    /// Share of title targets among supervised examples. Default 0.25.
    public var titleFraction = 0.25
    /// Share of lowercased unsupervised sources (SEAL: 0.1). Default 0.1.
    public var lowercaseFraction = 0.1
    /// Share of noisy-copy pairs among unsupervised examples. Default 0 (SEAL's pairs only).
    public var copyFraction = 0.0
    /// Probability that a word of a noisy-copy source is dropped. Default 0.15.
    public var copyDropRate = 0.15
    /// Share of pseudo-question pairs among unsupervised examples, drawn before the
    /// noisy-copy pairs (TrainingPairs+PseudoQuestions.swift). Default 0.
    public var pseudoQuestionFraction = 0.0
    /// Temperature of the supervised span-start weights.
    let spanTemperature: Double

    /// Splits each document into title and body (documents as ``PassageTokenizer/encode(_:)``
    /// lays them out) and precomputes word boundaries and supervised span weights.
    ///
    /// - Parameter spanTemperature: temperature of the supervised span-start weights (SEAL: 1).
    public init(tokenizer: PassageTokenizer, documents: [[Int]], questions: [Question], spanTemperature: Double = 1) {
        self.tokenizer = tokenizer
        self.spanTemperature = spanTemperature
        let startsWord = (0..<tokenizer.vocabularySize).map { tokenizer.base.token(for: $0)?.hasPrefix("\u{0120}") ?? false }
        var titles: [[Int]] = []
        var bodies: [[Int]] = []
        var words: [WordSegmentation] = []
        for document in documents {
            let end = (document.firstIndex(of: tokenizer.titleEnd) ?? -1) + 1
            titles.append(Array(document[..<end]))
            let body = Array(document[end...])
            bodies.append(body)
            words.append(WordSegmentation(tokens: body, startsWord: startsWord, decode: tokenizer.decode))
        }
        self.titles = titles
        self.bodies = bodies
        self.words = words
        goodStarts = words.map { segmentation in
            let good = segmentation.words.indices.filter { SpanSelection.isGoodStart(segmentation.words[$0]) }
            return good.isEmpty ? Array(segmentation.words.indices) : good
        }
        self.questions = questions
        questionWeights = questions.map { question in
            SpanSelection.supervisedWeights(question: tokenizer.decode(question.tokens), passageWords: words[question.document].words,
                                            temperature: spanTemperature)
        }
    }

    /// One example; supervised with probability ``supervisedFraction`` (when questions exist).
    public func sample(using generator: inout SeededGenerator) -> GeneratorExample {
        if !questions.isEmpty && unit(&generator) < supervisedFraction {
            let index = Int(generator.next() % UInt64(questions.count))
            let question = questions[index]
            if unit(&generator) < titleFraction, let title = titleTarget(question.document) {
                return GeneratorExample(prompt: tokenizer.prompt(queryTokens: question.tokens, target: .title), target: title)
            }
            let word = SpanSelection.draw(questionWeights[index], unit: unit(&generator))
            let span = span(in: question.document, fromWord: word)
            return GeneratorExample(prompt: tokenizer.prompt(queryTokens: question.tokens, target: .body), target: span)
        }
        let document = Int(generator.next() % UInt64(bodies.count))
        let wordCount = words[document].starts.count
        // No draw when off, so runs without pseudo-questions or copy pairs keep their sample sequence.
        if pseudoQuestionFraction > 0, wordCount > 0, unit(&generator) < pseudoQuestionFraction {
            return pseudoQuestionExample(in: document, using: &generator)
        }
        if copyFraction > 0, wordCount > 0, unit(&generator) < copyFraction {
            return copyExample(in: document, using: &generator)
        }
        let choice = unit(&generator)
        if choice < 3.0 / 13, let title = titleTarget(document) {
            if unit(&generator) < 0.5 {
                // A 1-15-word span -> the title.
                let length = 1 + Int(generator.next() % 15)
                let source = sourceSpan(in: document, words: length, using: &generator)
                return GeneratorExample(prompt: tokenizer.prompt(queryTokens: source, target: .title), target: title)
            }
            // The title -> a body span.
            let titleText = Array(title.dropLast())
            let target = span(in: document, fromWord: goodStart(in: document, using: &generator))
            return GeneratorExample(prompt: tokenizer.prompt(queryTokens: lowercased(titleText, &generator), target: .body),
                                    target: target)
        }
        // A 10-word span -> a span starting at another good word.
        let sourceStart = wordCount > sourceWords ? Int(generator.next() % UInt64(wordCount - sourceWords + 1)) : 0
        var targetWord = goodStart(in: document, using: &generator)
        if targetWord == sourceStart && goodStarts[document].count > 1 {
            targetWord = goodStarts[document].first { $0 != sourceStart }!
        }
        let source = tokens(in: document, words: sourceStart..<min(sourceStart + sourceWords, wordCount))
        return GeneratorExample(prompt: tokenizer.prompt(queryTokens: lowercased(source, &generator), target: .body),
                                target: span(in: document, fromWord: targetWord))
    }

    /// A noisy-copy pair: 6-16 consecutive words of `document` with each word dropped with
    /// probability ``copyDropRate`` (at least one kept) -> a ``spanLength``-token span starting
    /// at one of the kept words, a good start when one was kept.
    func copyExample(in document: Int, using generator: inout SeededGenerator) -> GeneratorExample {
        let wordCount = words[document].starts.count
        let length = min(6 + Int(generator.next() % 11), wordCount)
        let first = wordCount > length ? Int(generator.next() % UInt64(wordCount - length + 1)) : 0
        var kept = (first..<first + length).filter { _ in unit(&generator) >= copyDropRate }
        if kept.isEmpty { kept = [first + Int(generator.next() % UInt64(length))] }
        let good = Set(goodStarts[document])
        let candidates = kept.filter(good.contains)
        let pool = candidates.isEmpty ? kept : candidates
        let start = pool[Int(generator.next() % UInt64(pool.count))]
        let source = kept.flatMap { tokens(in: document, words: $0..<($0 + 1)) }
        return GeneratorExample(prompt: tokenizer.prompt(queryTokens: lowercased(source, &generator), target: .body),
                                target: span(in: document, fromWord: start))
    }

    /// The title n-gram minus its start marker (which ends the prompt), nil without a title.
    func titleTarget(_ document: Int) -> [Int]? {
        let title = titles[document]
        return title.count > 2 ? Array(title.dropFirst()) : nil
    }

    /// ``spanLength`` tokens of a body starting at word `word` (fewer at the end of the body).
    func span(in document: Int, fromWord word: Int) -> [Int] {
        let body = bodies[document]
        guard !body.isEmpty else { return [tokenizer.endOfText] }
        let start = words[document].starts.isEmpty ? 0 : words[document].starts[min(word, words[document].starts.count - 1)]
        return Array(body[start..<min(start + spanLength, body.count)])
    }

    /// A random word index where an unsupervised target may start (0 for an empty body).
    func goodStart(in document: Int, using generator: inout SeededGenerator) -> Int {
        let starts = goodStarts[document]
        return starts.isEmpty ? 0 : starts[Int(generator.next() % UInt64(starts.count))]
    }

    /// The tokens of a range of words of a body.
    func tokens(in document: Int, words range: Range<Int>) -> [Int] {
        let starts = words[document].starts
        let body = bodies[document]
        guard !starts.isEmpty, !range.isEmpty else { return body.isEmpty ? [tokenizer.endOfText] : body }
        let end = range.upperBound < starts.count ? starts[range.upperBound] : body.count
        return Array(body[starts[range.lowerBound]..<end])
    }

    func sourceSpan(in document: Int, words length: Int, using generator: inout SeededGenerator) -> [Int] {
        let count = words[document].starts.count
        let length = min(length, max(count, 1))
        let start = count > length ? Int(generator.next() % UInt64(count - length + 1)) : 0
        return lowercased(tokens(in: document, words: start..<(start + length)), &generator)
    }

    /// `tokens`, re-encoded lowercased with probability ``lowercaseFraction``.
    func lowercased(_ tokens: [Int], _ generator: inout SeededGenerator) -> [Int] {
        guard unit(&generator) < lowercaseFraction else { return tokens }
        let encoded = tokenizer.encode(text: tokenizer.decode(tokens).lowercased())
        return encoded.isEmpty ? tokens : encoded
    }

    func unit(_ generator: inout SeededGenerator) -> Double { Double(generator.nextUnitFloat()) }
}
