/// The words of a corpus grouped by their Snowball English stem, for stemmed query keys
/// (``QueryKeyForms/stemmed``): the forms of "represented" are the corpus words that stem
/// like it, in the case they are written ("represent", "Representatives", "representing").
///
/// ```swift
/// let forms = WordForms(texts: ["Teachers teach.", "A teacher taught"])
/// forms.forms(of: "teaching")   // ["teach"]
/// ```
public struct WordForms: Sendable {
    /// Surface words by the stem of their lowercased form, each list sorted.
    let byStem: [String: [String]]

    /// Groups the distinct words of `texts` (``QueryKeys/words(_:)`` with letters or digits).
    public init(texts: some Sequence<String>) {
        var words = Set<String>()
        for text in texts {
            for word in QueryKeys.words(text) where word.contains(where: { $0.isLetter || $0.isNumber }) { words.insert(word) }
        }
        var byStem: [String: [String]] = [:]
        var stems: [String: String] = [:]
        for word in words {
            let lowered = word.lowercased()
            let stem = stems[lowered] ?? EnglishStemmer.stem(lowered)
            stems[lowered] = stem
            byStem[stem, default: []].append(word)
        }
        self.byStem = byStem.mapValues { $0.sorted() }
    }

    /// The corpus words that share `word`'s stem (case-insensitive), sorted; empty when none.
    public func forms(of word: String) -> [String] {
        byStem[EnglishStemmer.stem(word.lowercased())] ?? []
    }
}
