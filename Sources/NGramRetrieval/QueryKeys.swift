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
        var current = ""
        for character in query {
            if character.isLetter || character.isNumber || ("'’-".contains(character) && !current.isEmpty) {
                current.append(character)
            } else {
                if !current.isEmpty { words.append(current); current = "" }
                if !character.isWhitespace { words.append(String(character)) }
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
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
    /// query's words as written ("Tesla's father") and with possessives split ("Tesla").
    public static func strings(_ query: String, maximumLength: Int = 3) -> [String] {
        let written = words(query)
        let split = splitPossessives(written)
        var result = Set<String>()
        for words in split == written ? [written] : [written, split] {
            add(words, maximumLength: maximumLength, to: &result)
        }
        return result.sorted()
    }

    /// The key strings grouped by word n-gram, for pooled query keys: each group holds the
    /// case forms of one n-gram (as written first, then with each word's first letter
    /// capitalised or lowercased), then for a one-word n-gram the `wordForms` of its word,
    /// each with a leading space. A form belongs to one group only (the first that has it);
    /// groups are sorted by their first form. The n-grams are those of
    /// ``strings(_:maximumLength:)``.
    ///
    /// ```swift
    /// QueryKeys.groups("What did Mongols worship", maximumLength: 1)[0]
    /// // [" Mongols", " mongols"] (then " What", " did", " worship" and their case forms)
    /// ```
    public static func groups(_ query: String, maximumLength: Int = 3,
                              wordForms: ((String) -> [String])? = nil) -> [[String]] {
        let written = words(query)
        let split = splitPossessives(written)
        var seen = Set<String>()
        var groups: [[String]] = []
        for words in split == written ? [written] : [written, split] {
            for start in words.indices {
                for end in (start + 1)...min(words.count, start + maximumLength) {
                    let span = Array(words[start..<end])
                    let original = " " + span.joined(separator: " ")
                    guard seen.insert(original).inserted else { continue }
                    var forms = [""]
                    for (index, word) in span.enumerated() {
                        var cases = [word]
                        for form in [word.prefix(1).uppercased() + word.dropFirst(), word.prefix(1).lowercased() + word.dropFirst()]
                        where !cases.contains(form) { cases.append(form) }
                        forms = forms.flatMap { head in cases.map { head + (index == 0 ? "" : " ") + $0 } }
                    }
                    if span.count == 1, let wordForms {
                        for form in wordForms(span[0]) where !forms.contains(form) { forms.append(form) }
                    }
                    groups.append(forms.map { " " + $0 })
                }
            }
        }
        // A form may open two groups (" us" and " Us" from "us ... Us"): keep its first.
        var claimed = Set<String>()
        return groups.compactMap { group in
            let free = group.filter { claimed.insert($0).inserted }
            return free.isEmpty ? nil : free
        }.sorted { $0[0] < $1[0] }
    }

    /// Whether every word of a key string is a stopword (NLTK's English list, any case) or
    /// has no letter or digit: `" Who was"`, `" the ?"`.
    public static func isStopwords(_ key: String) -> Bool {
        key.split(separator: " ").allSatisfy { word in
            SpanSelection.stopwords.contains(word.lowercased()) || !word.contains { $0.isLetter || $0.isNumber }
        }
    }

    /// Inserts every n-gram of `words` up to `maximumLength`, in every combination of original
    /// and capitalised first letters, with a leading space.
    static func add(_ words: [String], maximumLength: Int, to result: inout Set<String>) {
        for start in words.indices {
            for end in (start + 1)...min(words.count, start + maximumLength) {
                let span = Array(words[start..<end])
                for mask in 0..<(1 << span.count) {
                    let variant = span.enumerated().map { index, word in
                        mask & (1 << index) != 0 ? word.prefix(1).uppercased() + word.dropFirst() : word
                    }
                    result.insert(" " + variant.joined(separator: " "))
                }
            }
        }
    }
}
