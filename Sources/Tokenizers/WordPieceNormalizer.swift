import Foundation

// Source: Hugging Face `tokenizers`, normalizers/bert.rs (BertNormalizer),
// pre_tokenizers/bert.rs (BertPreTokenizer); Devlin et al. 2019 ("BERT", section 3's
// "BasicTokenizer" of the original tokenization.py).

/// BERT's text normalisation (Hugging Face's `BertNormalizer`), in its order: remove control
/// characters and map whitespace to a space, put spaces around CJK ideographs, strip accents
/// (NFD, then drop nonspacing marks), lowercase.
///
/// The character classes are the reference's own (``WordPieceCharacterTables``), so the
/// output matches `tokenizers` scalar for scalar, including the scalars whose Unicode category
/// changed after the tables the reference was built with.
public struct WordPieceNormalizer: Sendable, Equatable {
    /// Remove U+0000, U+FFFD and control/format/private-use scalars; map whitespace to `" "`.
    public var cleanText: Bool
    /// Surround each CJK ideograph with spaces so that it becomes a word of its own.
    public var handleChineseCharacters: Bool
    /// Decompose (NFD) and drop nonspacing marks.
    public var stripAccents: Bool
    /// Lowercase each scalar (full Unicode lowercase mapping, no context).
    public var lowercase: Bool

    /// The normalisation of uncased BERT vocabularies: everything on.
    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool = true, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Returns the normalised text as scalars.
    public func normalize(_ text: Substring) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        var needsDecomposition = false
        for scalar in text.unicodeScalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isOther(scalar) { continue }
                if Self.isWhitespace(scalar) {
                    scalars.append(" ")
                    continue
                }
            }
            if scalar.value >= 0xC0 { needsDecomposition = true }
            if handleChineseCharacters && Self.isChinese(scalar) {
                scalars.append(contentsOf: [" ", scalar, " "])
                continue
            }
            scalars.append(scalar)
        }
        if stripAccents {
            if needsDecomposition { scalars = Self.decomposed(scalars) }
            scalars.removeAll(where: Self.isNonspacingMark)
        }
        if lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(scalars.count)
            for scalar in scalars {
                if scalar.isASCII {
                    lowered.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
            scalars = lowered
        }
        return scalars
    }

    /// NFD, except for the scalars the reference leaves whole (all starters, so decomposing
    /// the runs between them separately reorders nothing across them).
    static func decomposed(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var run = String.UnicodeScalarView()
        func flush() {
            guard !run.isEmpty else { return }
            result.append(contentsOf: String(run).decomposedStringWithCanonicalMapping.unicodeScalars)
            run = String.UnicodeScalarView()
        }
        for scalar in scalars {
            if contains(WordPieceCharacterTables.undecomposed, scalar.value) {
                flush()
                result.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flush()
        return result
    }

    /// Cuts normalised text into words as `BertPreTokenizer` does: whitespace separates words
    /// and is dropped, each punctuation scalar is a word of its own.
    public static func splitWords(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                flush()
            } else if isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    /// Tab, newline, return and the scalars with Unicode's White_Space property.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Control, format and private-use scalars as the reference classifies them (tab, newline
    /// and return excepted).
    static func isOther(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        return contains(WordPieceCharacterTables.other, scalar.value)
    }

    /// Nonspacing marks as the reference classifies them.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && contains(WordPieceCharacterTables.nonspacingMarks, scalar.value)
    }

    /// ASCII punctuation and the Unicode punctuation categories as the reference classifies them.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        contains(WordPieceCharacterTables.punctuation, scalar.value)
    }

    /// The CJK ideograph blocks BERT treats as one-character words.
    static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Binary search in sorted, disjoint ranges.
    static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < ranges.count && ranges[low].contains(value)
    }
}
