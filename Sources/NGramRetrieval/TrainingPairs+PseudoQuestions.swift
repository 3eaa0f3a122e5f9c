import Tensors

// Pseudo-questions (not in SEAL; doc2query-style augmentation without a question model).
// SQuAD questions restate one sentence of their passage: its words, some left out, the answer
// removed and a question word in front. The generator sees about two real questions per
// passage; a pseudo-question made that way from any sentence is then trained exactly like a
// real one (SEAL's supervised pairs: -> the title, or -> a span whose start is drawn with the
// fuzzy-trigram weights against the pseudo-question). The question word never appears in a
// target, so the generator learns to give it no weight, and the answer span is absent from the
// source, so targets that reach it teach the passage rather than a copy.

extension TrainingPairs {
    /// Month names, which make a "When" answer.
    static let months: Set<String> = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// A pseudo-question pair for `document`: -> its title with probability ``titleFraction``,
    /// otherwise -> a ``spanLength``-token span drawn with SEAL's supervised weights.
    func pseudoQuestionExample(in document: Int, using generator: inout SeededGenerator) -> GeneratorExample {
        let text = pseudoQuestion(in: document, using: &generator)
        let query = tokenizer.encode(query: text)
        if unit(&generator) < titleFraction, let title = titleTarget(document) {
            return GeneratorExample(prompt: tokenizer.prompt(queryTokens: query, target: .title), target: title)
        }
        let weights = SpanSelection.supervisedWeights(question: text, passageWords: words[document].words, temperature: spanTemperature)
        let word = SpanSelection.draw(weights, unit: unit(&generator))
        return GeneratorExample(prompt: tokenizer.prompt(queryTokens: query, target: .body), target: span(in: document, fromWord: word))
    }

    /// A question-like string made from one sentence of `document`: a question word chosen by
    /// the removed answer ("When" for a year or month, "How many" for another number, "Who",
    /// "What" or "Which" for a name, "What" otherwise), then the sentence's other words in order
    /// with 20 % left out (at most 14 of them), then "?".
    ///
    /// The answer is a run of up to 4 capitalised or numeric words after the sentence's first
    /// word, or else one or two words from a non-stopword.
    func pseudoQuestion(in document: Int, using generator: inout SeededGenerator) -> String {
        let passage = words[document].words
        guard !passage.isEmpty else { return "What?" }
        // Sentences: runs of words ending with a word whose last character is . ? or !.
        var sentences: [Range<Int>] = []
        var start = 0
        for (index, word) in passage.enumerated() where index == passage.count - 1 || "?.!".contains(word.last ?? " ") {
            if index + 1 - start >= 5 { sentences.append(start..<(index + 1)) }
            start = index + 1
        }
        let sentence = sentences.isEmpty
            ? 0..<passage.count : sentences[Int(generator.next() % UInt64(sentences.count))]
        let isNameOrNumber = { (word: String) -> Bool in
            word.first.map { $0.isUppercase || $0.isNumber } ?? false
        }
        var runs: [Range<Int>] = []
        var index = sentence.lowerBound + 1
        while index < sentence.upperBound {
            guard isNameOrNumber(passage[index]) else { index += 1; continue }
            var end = index + 1
            while end < sentence.upperBound && end - index < 4 && isNameOrNumber(passage[end]) { end += 1 }
            runs.append(index..<end)
            index = end
        }
        var answer: Range<Int>
        if !runs.isEmpty {
            answer = runs[Int(generator.next() % UInt64(runs.count))]
        } else {
            let content = sentence.filter { !SpanSelection.stopwords.contains(passage[$0].lowercased()) }
            let first = content.isEmpty ? sentence.lowerBound : content[Int(generator.next() % UInt64(content.count))]
            answer = first..<min(first + 1 + Int(generator.next() % 2), sentence.upperBound)
        }
        let answerWords = passage[answer].map { $0.trimmingCharacters(in: .punctuationCharacters) }
        let questionWord: String
        if answerWords.contains(where: { Self.months.contains($0) || ($0.count == 4 && Int($0).map { (1000...2099).contains($0) } == true) }) {
            questionWord = "When"
        } else if answerWords.contains(where: { $0.first?.isNumber == true }) {
            questionWord = "How many"
        } else if answerWords.contains(where: { $0.first?.isUppercase == true }) {
            questionWord = ["Who", "What", "Which"][Int(generator.next() % 3)]
        } else {
            questionWord = "What"
        }
        var kept = sentence.filter { !answer.contains($0) && unit(&generator) >= 0.2 }
        if kept.count > 14 {
            let first = Int(generator.next() % UInt64(kept.count - 14 + 1))
            kept = Array(kept[first..<(first + 14)])
        }
        var rest = kept.map { passage[$0] }
        if let first = kept.first, first == sentence.lowerBound, SpanSelection.stopwords.contains(rest[0].lowercased()) {
            rest[0] = rest[0].lowercased()
        }
        if let last = rest.last {
            rest[rest.count - 1] = String(last.reversed().drop { ".,;:!?".contains($0) }.reversed())
            if rest[rest.count - 1].isEmpty { rest.removeLast() }
        }
        return ([questionWord] + rest).joined(separator: " ") + "?"
    }
}
