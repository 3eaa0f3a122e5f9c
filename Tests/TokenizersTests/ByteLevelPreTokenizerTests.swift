import Testing
import Tokenizers

/// The hand-written pre-tokenizer against Python's `regex` module. Expected splits from
/// `regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""").findall(text)`
/// (regex 2026.5.9, Python 3.11.7).
@Suite struct ByteLevelPreTokenizerTests {
    @Test(arguments: [
        ("I'm   here!", ["I", "'m", "  ", " here", "!"]),
        ("a \nb", ["a", " ", "\n", "b"]),
        ("\tb", ["\t", "b"]),
        (" 's", [" '", "s"]),
        ("''s", ["''", "s"]),
        ("hello  \n\n world  ", ["hello", "  \n\n", " world", "  "]),
        ("x\u{1C}y", ["x", "\u{1C}", "y"]),
        ("3.14159 is pi", ["3", ".", "14159", " is", " pi"]),
        ("cafe\u{301} na\u{EF}ve", ["cafe", "\u{301}", " na\u{EF}ve"]),
        (" \u{A0}x", [" ", "\u{A0}", "x"]),
        ("ab\u{3000}\u{3000}cd", ["ab", "\u{3000}", "\u{3000}", "cd"]),
        ("DON'T don'T", ["DON", "'", "T", " don", "'", "T"]),
        ("\u{660}\u{661} \u{2167}", ["\u{660}\u{661}", " \u{2167}"]),
        ("", []),
    ])
    func splitsLikePythonRegex(text: String, expected: [String]) {
        let pieces = ByteLevelPreTokenizer().split(text)
        // Compare scalars, not Strings: String equality would hide a normalisation bug.
        #expect(pieces.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
        #expect(pieces.joined() == text)
    }

    /// Letters and numbers of any script are word scalars; whitespace, punctuation, symbols
    /// and marks are not, as the pattern's classes have it.
    @Test func wordScalarsAreLettersAndNumbers() {
        for scalar in ["a", "Z", "7", "é", "京", "٣", "Ⅻ", "²"] as [Unicode.Scalar] {
            #expect(ByteLevelPreTokenizer.isWordScalar(scalar), "\(scalar)")
        }
        for scalar in [" ", "\u{00A0}", "\n", "(", "-", "'", "$", "\u{0301}"] as [Unicode.Scalar] {
            #expect(!ByteLevelPreTokenizer.isWordScalar(scalar), "\(scalar)")
        }
        // A word piece holds word scalars only; a punctuation piece none.
        let pieces = ByteLevelPreTokenizer().split("Public-Private (PPPs)")
        #expect(pieces == ["Public", "-", "Private", " (", "PPPs", ")"])
        #expect(pieces.map { $0.unicodeScalars.contains(where: ByteLevelPreTokenizer.isWordScalar) } == [true, false, true, false, true, false])
    }
}
