// SEAL's query keys (Bevilacqua et al. 2022, Section 4.2, "we also add the n-grams of the
// query"; `decompose_query_into_keys` in seal/keys.py): every word n-gram of the query up to
// length 3, in every combination of original and capitalised first letters, with a leading
// space, kept when it occurs in the corpus and then scored by the generator like any key.

/// Word n-grams of a query, as SEAL adds them to the generated keys.
///
/// ```swift
/// QueryKeys.strings("who won super bowl", maximumLength: 1)
/// // [" who", " Who", " won", " Won", " super", " Super", " bowl", " Bowl"] (as a set)
/// ```
public enum QueryKeys {
    /// Words and single punctuation marks, in order (a small stand-in for spaCy's tokenizer);
    /// apostrophes (straight or typographic) and hyphens inside a word belong to it.
    public static func words(_ query: String) -> [String] {
        var words: [String] = []
        scanWords(query) { word, _ in words.append(word) }
        return words
    }

    /// Calls `body` with each of ``words(_:)`` and whether a space (U+0020, the only
    /// character a byte-level pre-token may start with before a word) or the start of `text`
    /// comes right before it.
    static func scanWords(_ text: String, _ body: (String, Bool) -> Void) {
        var current = ""
        var afterSpace = true, currentAfterSpace = true
        for character in text {
            if character.isLetter || character.isNumber || ("'’-".contains(character) && !current.isEmpty) {
                if current.isEmpty { currentAfterSpace = afterSpace }
                current.append(character)
            } else {
                if !current.isEmpty { body(current, currentAfterSpace); current = "" }
                if !character.isWhitespace { body(String(character), afterSpace) }
            }
            afterSpace = character == " "
        }
        if !current.isEmpty { body(current, currentAfterSpace) }
    }

    /// ``words(_:)`` with possessives split as spaCy's English tokenizer (which SEAL uses)
    /// splits them: "Tesla's" -> "Tesla", "'s"; "Panthers'" -> "Panthers", "'" (the same with a
    /// typographic apostrophe, "Tesla’s").
    public static func splitPossessives(_ words: [String]) -> [String] {
        words.flatMap { word -> [String] in
            for suffix in ["'s", "'S", "'", "’s", "’S", "’"] where word.count > suffix.count && word.hasSuffix(suffix) {
                return [String(word.dropLast(suffix.count)), suffix]
            }
            return [word]
        }
    }

    /// The distinct key strings, sorted, each starting with a space: the n-grams of the
    /// query's words as written ("Tesla's father") and with possessives split ("Tesla"), in
    /// every combination of original and capitalised first letters.
    public static func strings(_ query: String, maximumLength: Int = 3) -> [String] {
        Set(spans(query, maximumLength: maximumLength).flatMap { forms(of: $0, cases: { [capitalised($0)] }) }).sorted()
    }

    /// The key strings grouped by word n-gram, for pooled query keys: each group holds the
    /// case forms of one n-gram (as written first, then with each word's first letter
    /// capitalised or lowercased), then for a one-word n-gram the `wordForms` of its word,
    /// written as the index must search them (``WordForms/forms(of:)``: after a space, or
    /// after the punctuation before it). A form belongs to one group only (the first that has it);
    /// groups are sorted by their first form. The n-grams are those of
    /// ``strings(_:maximumLength:)``.
    ///
    /// ```swift
    /// QueryKeys.groups("What did Mongols worship", maximumLength: 1)[0]
    /// // [" Mongols", " mongols"] (then " What", " did", " worship" and their case forms)
    /// ```
    public static func groups(_ query: String, maximumLength: Int = 3,
                              wordForms: ((String) -> [String])? = nil) -> [[String]] {
        let groups = spans(query, maximumLength: maximumLength).map { span in
            var group = forms(of: span, cases: { [capitalised($0), $0.prefix(1).lowercased() + $0.dropFirst()] })
            if span.count == 1, let wordForms {
                for form in wordForms(span[0]) where !group.contains(form) { group.append(form) }
            }
            return group
        }
        // A form may open two groups (" us" and " Us" from "us ... Us"): keep its first.
        var claimed = Set<String>()
        return groups.compactMap { group in
            let free = group.filter { claimed.insert($0).inserted }
            return free.isEmpty ? nil : free
        }.sorted { $0[0] < $1[0] }
    }

    /// The distinct word n-grams of `query` up to `maximumLength` words, in order: those of its
    /// words as written, then those that splitting possessives adds.
    static func spans(_ query: String, maximumLength: Int) -> [[String]] {
        let written = words(query)
        let split = splitPossessives(written)
        var seen = Set<[String]>()
        var spans: [[String]] = []
        for words in split == written ? [written] : [written, split] {
            for start in words.indices {
                for end in (start + 1)...min(words.count, start + maximumLength) where seen.insert(Array(words[start..<end])).inserted {
                    spans.append(Array(words[start..<end]))
                }
            }
        }
        return spans
    }

    /// `span` written every way that keeps each word or replaces it by one of `cases(word)`,
    /// each word after a space; the span as written comes first, no form twice.
    static func forms(of span: [String], cases: (String) -> [String]) -> [String] {
        var forms = [""]
        for word in span {
            var options = [word]
            for option in cases(word) where !options.contains(option) { options.append(option) }
            forms = forms.flatMap { head in options.map { head + " " + $0 } }
        }
        return forms
    }

    /// `word` with its first letter capitalised.
    static func capitalised(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    /// Whether every word of a key string is a stopword (NLTK's English list, any case) or
    /// has no letter or digit: `" Who was"`, `" the ?"`.
    public static func isStopwords(_ key: String) -> Bool {
        key.split(separator: " ").allSatisfy { word in
            SpanSelection.stopwords.contains(word.lowercased()) || !word.contains { $0.isLetter || $0.isNumber }
        }
    }
}
