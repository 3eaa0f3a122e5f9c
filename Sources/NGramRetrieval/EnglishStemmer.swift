/// The Snowball English stemmer (Porter2), as used by the BM25 peer (PyStemmer's `english`).
///
/// It follows the algorithm at <https://snowballstem.org/algorithms/english/stemmer.html> in the
/// revision PyStemmer 3 ships (Snowball 3): besides gener/commun/arsen, R1 also starts after
/// past, univers, later, emerg, organ and inter; dying/lying/tying and the
/// inning/outing/…/succeed exceptions are handled inside step 1b; step 2 maps -ogist to -og.
/// It agrees with PyStemmer on every distinct word of the SQuAD dev corpus and queries.
///
/// ```swift
/// EnglishStemmer.stem("represented")   // "repres"
/// EnglishStemmer.stem("generously")    // "generous"
/// ```
public enum EnglishStemmer {
    /// The stem of a lowercase word ("represented" -> "repres"). Characters outside a-z count as
    /// non-vowels; words of one or two characters come back unchanged.
    public static func stem(_ word: String) -> String {
        if let fixed = exceptionalForms[word] { return fixed }
        var w = Word(word)
        guard w.s.count > 2 else { return word }
        w.prelude()
        w.markRegions()
        w.step1a()
        w.step1b()
        w.step1c()
        w.apply(step2, from: w.p1)
        w.apply(step3, from: w.p1)
        w.apply(step4, from: w.p2)
        w.step5()
        w.postlude()
        return w.string
    }

    /// Whole words with a fixed stem, checked before anything else.
    private static let exceptionalForms: [String: String] = [
        "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli",
        "early": "earli", "only": "onli", "singly": "singl", "sky": "sky", "news": "news",
        "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    /// A suffix rule: `suffix` becomes `replacement` when it starts inside the step's region,
    /// the letter before it is one of `after` (any when empty) and, if `inR2`, it starts in R2.
    fileprivate struct Rule {
        let suffix: String, replacement: String, after: String, inR2: Bool
        init(_ suffix: String, _ replacement: String = "", after: String = "", inR2: Bool = false) {
            (self.suffix, self.replacement, self.after, self.inR2) = (suffix, replacement, after, inR2)
        }
    }

    /// Longest suffix first, as Snowball's `among` picks the longest match.
    fileprivate static func table(_ rules: [Rule]) -> [Rule] {
        rules.sorted { $0.suffix.utf8.count > $1.suffix.utf8.count }
    }

    // Step 2: derivational suffixes in R1.
    fileprivate static let step2 = table([
        Rule("tional", "tion"), Rule("enci", "ence"), Rule("anci", "ance"), Rule("abli", "able"),
        Rule("entli", "ent"), Rule("izer", "ize"), Rule("ization", "ize"), Rule("ational", "ate"),
        Rule("ation", "ate"), Rule("ator", "ate"), Rule("alism", "al"), Rule("aliti", "al"),
        Rule("alli", "al"), Rule("fulness", "ful"), Rule("ousli", "ous"), Rule("ousness", "ous"),
        Rule("iveness", "ive"), Rule("iviti", "ive"), Rule("biliti", "ble"), Rule("bli", "ble"),
        Rule("ogist", "og"), Rule("ogi", "og", after: "l"), Rule("fulli", "ful"),
        Rule("lessli", "less"), Rule("li", after: "cdeghkmnrt"),
    ])
    // Step 3: more derivational suffixes in R1 (-ative only in R2).
    fileprivate static let step3 = table([
        Rule("tional", "tion"), Rule("ational", "ate"), Rule("alize", "al"), Rule("icate", "ic"),
        Rule("iciti", "ic"), Rule("ical", "ic"), Rule("ful"), Rule("ness"), Rule("ative", inR2: true),
    ])
    // Step 4: suffixes deleted in R2 (-ion only after s or t).
    fileprivate static let step4 = table(
        ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate",
         "iti", "ous", "ive", "ize"].map { Rule($0) } + [Rule("ion", after: "st")])
}

/// A word being stemmed, as Unicode scalars, with its regions R1 = `p1...` and R2 = `p2...`.
private struct Word {
    var s: [Unicode.Scalar]
    var p1 = 0, p2 = 0
    var yFound = false

    init(_ word: String) { s = Array(word.unicodeScalars) }

    var string: String { String(String.UnicodeScalarView(s)) }

    static func isVowel(_ c: Unicode.Scalar) -> Bool {
        switch c { case "a", "e", "i", "o", "u", "y": true; default: false }
    }

    /// Whether `s[range]` holds a vowel.
    func hasVowel(_ range: Range<Int>) -> Bool { s[range].contains(where: Word.isVowel) }

    /// Whether the word ends with the ASCII string `t`.
    func ends(_ t: String) -> Bool {
        var i = s.count
        for byte in t.utf8.reversed() {
            i -= 1
            if i < 0 || s[i].value != UInt32(byte) { return false }
        }
        return true
    }

    /// Whether the word starts with `t`.
    func startsWith(_ t: String) -> Bool { s.starts(with: t.unicodeScalars) }

    /// Whether `s[..<end]` is exactly one of `words`.
    func prefix(_ end: Int, isOneOf words: [String]) -> Bool {
        words.contains { $0.unicodeScalars.elementsEqual(s[..<end]) }
    }

    /// Replaces the last `count` scalars with `t`.
    mutating func replaceEnd(_ count: Int, with t: String) {
        s.removeLast(count)
        s.append(contentsOf: t.unicodeScalars)
    }

    /// The index just past the first non-vowel that follows a vowel at or after `start`.
    func afterVowelNonVowel(from start: Int) -> Int? {
        guard let v = s[start...].firstIndex(where: Word.isVowel),
              let c = s[(v + 1)...].firstIndex(where: { !Word.isVowel($0) }) else { return nil }
        return c + 1
    }

    /// Whether `s[..<end]` ends in a short syllable: non-vowel, vowel, non-vowel other than w, x, Y;
    /// or vowel, non-vowel at the start of the word; or "past".
    func endsShortSyllable(_ end: Int) -> Bool {
        if end >= 3, !Word.isVowel(s[end - 1]), !"wxY".unicodeScalars.contains(s[end - 1]),
           Word.isVowel(s[end - 2]), !Word.isVowel(s[end - 3]) { return true }
        if end == 2, Word.isVowel(s[0]), !Word.isVowel(s[1]) { return true }
        return end >= 4 && "past".unicodeScalars.elementsEqual(s[(end - 4)..<end])
    }

    // Prelude: drop an initial apostrophe; mark y as Y at the start and after a vowel.
    mutating func prelude() {
        if s.first == "'" { s.removeFirst() }
        if s.first == "y" { s[0] = "Y"; yFound = true }
        for i in s.indices.dropFirst() where s[i] == "y" && Word.isVowel(s[i - 1]) {
            s[i] = "Y"
            yFound = true
        }
    }

    // Regions: R1 after the first vowel-non-vowel pair (or after a listed prefix), R2 likewise after R1.
    mutating func markRegions() {
        (p1, p2) = (s.count, s.count)
        let prefixes = ["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter"]
        if let special = prefixes.first(where: startsWith) {
            p1 = special.utf8.count
        } else if let start = afterVowelNonVowel(from: 0) {
            p1 = start
        } else { return }
        p2 = afterVowelNonVowel(from: p1) ?? s.count
    }

    // Step 1a: possessive apostrophes, then -sses, -ied/-ies, -s.
    mutating func step1a() {
        if ends("'s'") { s.removeLast(3) } else if ends("'s") { s.removeLast(2) } else if ends("'") { s.removeLast() }
        let n = s.count
        if ends("sses") {
            s.removeLast(2)
        } else if ends("ied") || ends("ies") {
            replaceEnd(3, with: n > 4 ? "i" : "ie")  // "cries" -> "cri", "ties" -> "tie"
        } else if ends("us") || ends("ss") {
            return
        } else if ends("s"), n >= 2, hasVowel(0..<(n - 2)) {
            s.removeLast()  // "gaps" -> "gap", but "gas" stays
        }
    }

    // Step 1b: -eed/-eedly to -ee in R1; -ed/-edly/-ing/-ingly removed after a vowel, then tidied.
    mutating func step1b() {
        guard let suffix = ["eedly", "ingly", "edly", "eed", "ing", "ed"].first(where: ends) else { return }
        let start = s.count - suffix.utf8.count
        if suffix.hasPrefix("eed") {
            if prefix(start, isOneOf: ["proc", "exc", "succ"]) { return }
            if p1 <= start { replaceEnd(suffix.utf8.count, with: "ee") }
            return
        }
        if suffix == "ing" {
            if start == 2, s[1] == "y", !Word.isVowel(s[0]) { replaceEnd(4, with: "ie"); return }  // dying -> die
            if prefix(start, isOneOf: ["inn", "out", "cann", "herr", "earr", "even"]) { return }
        }
        guard hasVowel(0..<start) else { return }
        s.removeLast(suffix.utf8.count)
        let n = s.count
        if ends("at") || ends("bl") || ends("iz") {
            s.append("e")  // "luxuriat" -> "luxuriate"
        } else if n >= 2, s[n - 1] == s[n - 2], "bdfgmnprt".unicodeScalars.contains(s[n - 1]) {
            if !(n == 3 && "aeo".unicodeScalars.contains(s[0])) { s.removeLast() }  // "hopp" -> "hop"; "add" stays
        } else if n == p1, endsShortSyllable(n) {
            s.append("e")  // "hop" -> "hope"
        }
    }

    // Step 1c: final y or Y after a non-vowel (not the first letter) becomes i.
    mutating func step1c() {
        let n = s.count
        if n >= 3, s[n - 1] == "y" || s[n - 1] == "Y", !Word.isVowel(s[n - 2]) { s[n - 1] = "i" }
    }

    // Steps 2-4: replace the longest listed suffix if it starts at or after `regionStart`.
    mutating func apply(_ rules: [EnglishStemmer.Rule], from regionStart: Int) {
        guard let rule = rules.first(where: { ends($0.suffix) }) else { return }
        let start = s.count - rule.suffix.utf8.count
        guard start >= regionStart, !rule.inR2 || start >= p2 else { return }
        if !rule.after.isEmpty {
            guard start > 0, rule.after.unicodeScalars.contains(s[start - 1]) else { return }
        }
        replaceEnd(rule.suffix.utf8.count, with: rule.replacement)
    }

    // Step 5: final e in R2, or in R1 after no short syllable; final l after l in R2.
    mutating func step5() {
        let last = s.count - 1
        guard last >= 0 else { return }
        if s[last] == "e", last >= p2 || (last >= p1 && !endsShortSyllable(last)) {
            s.removeLast()
        } else if s[last] == "l", last >= p2, last >= 1, s[last - 1] == "l" {
            s.removeLast()
        }
    }

    // Postlude: Y back to y.
    mutating func postlude() {
        if yFound { s = s.map { $0 == "Y" ? "y" : $0 } }
    }
}
