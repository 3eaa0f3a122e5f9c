import Tensors

// Training data of the n-gram generator, following SEAL (Bevilacqua et al. 2022, Section 4.1
// and scripts/training/make_*_dataset.py of the released code):
// - supervised: question -> title of its gold passage, and question -> spans of the gold
//   passage body;
// - unsupervised: a span of a passage -> another span of the same passage, and
//   span -> the passage's title.
// SEAL samples the supervised spans at random from the passage; we sample them with weight
// (1 + words shared with the question)^2, which keeps every span possible but favours the
// ones a question points at (the small generator cannot afford to learn from noise alone).

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
        public var tokens: [Int]
        public var document: Int
        public init(tokens: [Int], document: Int) {
            self.tokens = tokens
            self.document = document
        }
    }

    let tokenizer: PassageTokenizer
    /// Per document: title n-gram (markers included) and body tokens.
    let titles: [[Int]]
    let bodies: [[Int]]
    let questions: [Question]
    /// Length of body n-gram targets (SEAL: 10).
    public var spanLength = 10
    /// Longest unsupervised source span.
    public var maximumSourceLength = 48
    /// Share of supervised examples when questions exist.
    public var supervisedFraction = 0.5

    /// Splits each document into title and body (documents as ``PassageTokenizer/encode(_:)`` lays them out).
    public init(tokenizer: PassageTokenizer, documents: [[Int]], questions: [Question]) {
        self.tokenizer = tokenizer
        var titles: [[Int]] = []
        var bodies: [[Int]] = []
        for document in documents {
            let end = (document.firstIndex(of: tokenizer.titleEnd) ?? -1) + 1
            titles.append(Array(document[..<end]))
            bodies.append(Array(document[end...]))
        }
        self.titles = titles
        self.bodies = bodies
        self.questions = questions
    }

    /// One example; supervised with probability ``supervisedFraction`` (when questions exist).
    public func sample(using generator: inout SeededGenerator) -> GeneratorExample {
        let supervised = !questions.isEmpty && Double(generator.nextUnitFloat()) < supervisedFraction
        let wantsTitle = generator.next() % 4 == 0
        if supervised {
            let question = questions[Int(generator.next() % UInt64(questions.count))]
            if wantsTitle, let title = titleTarget(question.document) {
                return GeneratorExample(prompt: tokenizer.prompt(queryTokens: question.tokens, target: .title), target: title)
            }
            let span = weightedSpan(in: bodies[question.document], query: question.tokens, using: &generator)
            return GeneratorExample(prompt: tokenizer.prompt(queryTokens: question.tokens, target: .body), target: span)
        }
        let document = Int(generator.next() % UInt64(bodies.count))
        let body = bodies[document]
        let sourceLength = min(body.count, spanLength + Int(generator.next() % UInt64(maximumSourceLength - spanLength + 1)))
        let sourceStart = body.count > sourceLength ? Int(generator.next() % UInt64(body.count - sourceLength + 1)) : 0
        let source = Array(body[sourceStart..<(sourceStart + sourceLength)])
        if wantsTitle, let title = titleTarget(document) {
            return GeneratorExample(prompt: tokenizer.prompt(queryTokens: source, target: .title), target: title)
        }
        return GeneratorExample(prompt: tokenizer.prompt(queryTokens: source, target: .body),
                                target: randomSpan(in: body, using: &generator))
    }

    /// The title n-gram minus its start marker (which ends the prompt), nil without a title.
    func titleTarget(_ document: Int) -> [Int]? {
        let title = titles[document]
        return title.count > 2 ? Array(title.dropFirst()) : nil
    }

    func randomSpan(in body: [Int], using generator: inout SeededGenerator) -> [Int] {
        guard body.count > spanLength else { return body.isEmpty ? [tokenizer.endOfText] : body }
        let start = Int(generator.next() % UInt64(body.count - spanLength + 1))
        return Array(body[start..<(start + spanLength)])
    }

    func weightedSpan(in body: [Int], query: [Int], using generator: inout SeededGenerator) -> [Int] {
        guard body.count > spanLength else { return body.isEmpty ? [tokenizer.endOfText] : body }
        let queryTokens = Set(query)
        var weights: [Double] = []
        weights.reserveCapacity(body.count - spanLength + 1)
        var shared = body[0..<spanLength].reduce(0) { $0 + (queryTokens.contains($1) ? 1 : 0) }
        for start in 0...(body.count - spanLength) {
            if start > 0 {
                shared -= queryTokens.contains(body[start - 1]) ? 1 : 0
                shared += queryTokens.contains(body[start + spanLength - 1]) ? 1 : 0
            }
            weights.append(Double((1 + shared) * (1 + shared)))
        }
        var pick = Double(generator.nextUnitFloat()) * weights.reduce(0, +)
        for (start, weight) in weights.enumerated() {
            pick -= weight
            if pick <= 0 { return Array(body[start..<(start + spanLength)]) }
        }
        return Array(body[(body.count - spanLength)...])
    }
}
