import Tokenizers

/// The words of a corpus grouped by their Snowball English stem, for stemmed query keys
/// (``QueryKeyForms/stemmed``): the forms of "represented" are the corpus words that stem
/// like it, written as they occur in the indexed text (" represent", " Representatives",
/// " representing").
///
/// A form is what the index must search to find the word. Most words follow a space, so
/// their form is the word after a space. A word that follows punctuation or a line break
/// ("(PPPs)", "Public-Private", "\"Kennedy\"") is its own byte-level pre-token without a
/// space, so " PPPs" never matches it; its form is the pre-token before it and the word
/// (" (PPPs", "-Private", " \"Kennedy"). Their tokens match where the word follows that
/// punctuation (and, like any form, where a longer word starts with the same tokens); the
/// punctuation pre-token keeps them from starting inside a word. The digits after a number's
/// separator ("500" in "1,500", "5" in "3.5") are part of that number and get no form.
///
/// ```swift
/// let forms = WordForms(texts: ["Teachers teach.", "A teacher taught (teaching)"])
/// forms.forms(of: "teaching")   // [" (teaching", " teach"]
/// ```
public struct WordForms: Sendable {
    /// Forms by the stem of their lowercased word, each list sorted.
    let byStem: [String: [String]]

    /// Groups the distinct words of `texts`: those of ``QueryKeys/words(_:)`` with letters or
    /// digits that follow a space or start a text, and the letter or digit pre-tokens that
    /// follow a punctuation or line-break pre-token.
    public init(texts: some Sequence<String>) {
        var forms: [String: String] = [:]  // form -> its word
        let pieces = ByteLevelPreTokenizer()
        for text in texts {
            QueryKeys.scanWords(text) { word, afterSpace in
                if afterSpace, word.contains(where: { $0.isLetter || $0.isNumber }) { forms[" " + word] = word }
            }
            // The indexed body starts with a space (PassageTokenizer.encode), as here.
            let split = pieces.split(" " + text)
            for position in split.indices.dropFirst() {
                let (previous, piece) = (split[position - 1], split[position])
                guard let first = piece.unicodeScalars.first, ByteLevelPreTokenizer.isWordScalar(first),
                      // Not after a letter or digit run ("1980s": the word stays with it in
                      // QueryKeys.words) nor a contraction ("'s"), which ends in a letter.
                      let last = previous.unicodeScalars.last, !ByteLevelPreTokenizer.isWordScalar(last),
                      !Self.continuesNumber(piece, after: previous, before: position >= 2 ? split[position - 2] : nil)
                else { continue }
                forms[String(previous) + piece] = String(piece)
            }
        }
        var byStem: [String: [String]] = [:]
        var stems: [String: String] = [:]
        for (form, word) in forms {
            let lowered = word.lowercased()
            let stem = stems[lowered] ?? EnglishStemmer.stem(lowered)
            stems[lowered] = stem
            byStem[stem, default: []].append(form)
        }
        self.byStem = byStem.mapValues { $0.sorted() }
    }

    /// The forms of the corpus words that share `word`'s stem (case-insensitive), sorted;
    /// empty when none.
    public func forms(of word: String) -> [String] {
        byStem[EnglishStemmer.stem(word.lowercased())] ?? []
    }

    /// Whether the digits of `piece` continue a number across a separator ("500" in "1,500",
    /// "5" in "3.5", "30" in "10:30"): not a number of its own, so not a form of one.
    static func continuesNumber(_ piece: Substring, after separator: Substring, before: Substring?) -> Bool {
        guard let first = piece.unicodeScalars.first, first.properties.generalCategory == .decimalNumber,
              [",", ".", ":"].contains(separator), let digit = before?.unicodeScalars.last
        else { return false }
        return digit.properties.generalCategory == .decimalNumber
    }
}
