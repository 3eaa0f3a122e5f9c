extension WordTokenizer {
    /// How a scalar takes part in word splitting.
    private enum PieceKind: Equatable {
        /// Letters, digits and combining marks: runs of them form one word.
        case word
        /// Whitespace: runs of it form one token.
        case space
        /// Punctuation, symbols, controls: each scalar is its own token.
        case single
    }

    private static func pieceKind(of scalar: Unicode.Scalar) -> PieceKind {
        switch ScalarKind.of(scalar) {
        case .letter, .number: return .word
        case .whitespace: return .space
        case .other:
            // Marks keep decomposed letters ("e" + U+0301) and Indic vowel signs inside their word.
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return .word
            default: return .single
            }
        }
    }

    /// Splits text into words, whitespace runs and single punctuation or symbol scalars.
    ///
    /// The pieces concatenate back to `text` exactly.
    ///
    /// ```swift
    /// WordTokenizer.split("Hi, you  there.")  // ["Hi", ",", " ", "you", "  ", "there", "."]
    /// ```
    public static func split(_ text: Substring) -> [Substring] {
        var pieces: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex {
            let kind = pieceKind(of: scalars[start])
            var end = scalars.index(after: start)
            if kind != .single {
                while end < scalars.endIndex, pieceKind(of: scalars[end]) == kind {
                    end = scalars.index(after: end)
                }
            }
            pieces.append(text[start..<end])
            start = end
        }
        return pieces
    }

    /// Splits a whole string; see ``split(_:)-(Substring)``.
    public static func split(_ text: String) -> [Substring] {
        split(text[...])
    }
}
