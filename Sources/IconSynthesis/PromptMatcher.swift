import Foundation

/// Maps a free-text prompt onto the icon model's keyword vocabulary.
///
/// Filler words ("a", "icon", "of", ...) are dropped. Words the vocabulary has are kept. Every
/// other word is replaced by the vocabulary word whose sentence embedding is closest (cosine),
/// when that is at least ``minimumSimilarity``; otherwise it is reported as unmatched and left
/// out. Nothing is dropped silently: ``Match/explanation`` says what became of each word.
///
/// ```swift
/// let matcher = PromptMatcher(vocabulary: tokenizer.words, embeddings: wordVectors, embed: encoder.embed)
/// let match = try matcher.match("photo camera lens")
/// print(match.keywords, match.explanation)
/// ```
public struct PromptMatcher: Sendable {
    /// What one prompt became.
    public struct Match: Sendable, Equatable {
        /// One word of the prompt and what became of it.
        public enum Word: Sendable, Equatable {
            /// A vocabulary word, kept.
            case known(String)
            /// A filler word, dropped.
            case filler(String)
            /// Replaced by the nearest vocabulary word.
            case mapped(String, to: String, similarity: Float)
            /// No vocabulary word was close enough (the nearest one and its similarity), or no
            /// encoder was available (nil).
            case unmatched(String, nearest: String?, similarity: Float?)
        }

        /// The prompt's words in order, each with what became of it.
        public var words: [Word]

        /// The keywords handed to the model, each once, in prompt order.
        public var keywords: [String] {
            var seen = Set<String>()
            return words.compactMap { word -> String? in
                switch word {
                case .known(let keyword), .mapped(_, let keyword, _): return seen.insert(keyword).inserted ? keyword : nil
                case .filler, .unmatched: return nil
                }
            }
        }

        /// True when every word is a vocabulary word or a filler word.
        public var isExact: Bool {
            words.allSatisfy { if case .known = $0 { return true } else if case .filler = $0 { return true } else { return false } }
        }

        /// One line: the keywords and what each changed word became, e.g.
        /// `keywords: trash, can ("bin" -> trash, similarity 0.71; "xylophonezz": no keyword close enough)`.
        public var explanation: String {
            var notes: [String] = []
            for word in words {
                switch word {
                case .known: break
                case .filler(let text): notes.append("\"\(text)\" ignored (filler)")
                case .mapped(let text, let keyword, let similarity):
                    notes.append("\"\(text)\" -> \(keyword) (similarity \(String(format: "%.2f", similarity)))")
                case .unmatched(let text, let nearest, let similarity):
                    if let nearest, let similarity {
                        notes.append("\"\(text)\": no keyword close enough (nearest \(nearest), similarity \(String(format: "%.2f", similarity))), left out")
                    } else {
                        notes.append("\"\(text)\": not a keyword, left out")
                    }
                }
            }
            let list = keywords.isEmpty ? "none (unconditional)" : keywords.joined(separator: ", ")
            return notes.isEmpty ? "keywords: \(list)" : "keywords: \(list) (\(notes.joined(separator: "; ")))"
        }
    }

    /// Words that carry no icon meaning in a prompt.
    public static let fillerWords: Set<String> = [
        "a", "an", "the", "of", "for", "with", "and", "or", "in", "on", "to", "icon", "icons", "symbol", "glyph", "simple", "style",
    ]

    /// Lowest cosine similarity at which an unknown word is replaced by a vocabulary word.
    public var minimumSimilarity: Float = 0.6

    private let vocabulary: [String]
    private let known: Set<String>
    private let unitVectors: [[Float]]
    private let embed: (@Sendable ([String]) throws -> [[Float]])?

    /// A matcher over `vocabulary`. `embeddings[i]` is the sentence embedding of `vocabulary[i]`
    /// and `embed` embeds new words the same way; without them (nil) unknown words are reported
    /// as unmatched.
    ///
    /// - Precondition: `embeddings` is nil or has one vector per vocabulary word.
    public init(vocabulary: [String], embeddings: [[Float]]? = nil, embed: (@Sendable ([String]) throws -> [[Float]])? = nil) {
        precondition(embeddings == nil || embeddings!.count == vocabulary.count, "one embedding per vocabulary word")
        self.vocabulary = vocabulary
        known = Set(vocabulary)
        unitVectors = (embeddings ?? []).map(Self.normalised)
        self.embed = embeddings == nil ? nil : embed
    }

    /// True when unknown words can be mapped (an encoder and vocabulary embeddings were given).
    public var canMapFreeText: Bool { embed != nil }

    /// What `prompt` becomes.
    ///
    /// - Throws: what the encoder throws.
    public func match(_ prompt: String) throws -> Match {
        let words = IconTokenizer.words(in: prompt)
        let unknown = Array(Set(words.filter { !known.contains($0) && !Self.fillerWords.contains($0) })).sorted()
        var nearest: [String: (String, Float)] = [:]
        if let embed, !unknown.isEmpty {
            for (word, vector) in zip(unknown, try embed(unknown)) {
                if let best = self.nearest(to: Self.normalised(vector)) { nearest[word] = best }
            }
        }
        return Match(words: words.map { word in
            if Self.fillerWords.contains(word) { return .filler(word) }
            if known.contains(word) { return .known(word) }
            guard let (keyword, similarity) = nearest[word] else { return .unmatched(word, nearest: nil, similarity: nil) }
            return similarity >= minimumSimilarity ? .mapped(word, to: keyword, similarity: similarity)
                : .unmatched(word, nearest: keyword, similarity: similarity)
        })
    }

    /// The vocabulary word with the highest cosine similarity to the unit vector `vector`.
    func nearest(to vector: [Float]) -> (String, Float)? {
        var best: (Int, Float)?
        for (index, candidate) in unitVectors.enumerated() {
            var dot: Float = 0
            for (a, b) in zip(candidate, vector) { dot += a * b }
            if best == nil || dot > best!.1 { best = (index, dot) }
        }
        return best.map { (vocabulary[$0.0], $0.1) }
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
