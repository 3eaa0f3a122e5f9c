// Source: GPT-2's pre-tokenization pattern, OpenAI `encoder.py` (Radford et al. 2019):
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matched leftmost-first, alternative by alternative, as Python's `regex` module and the
// Hugging Face `tokenizers` ByteLevel pre-tokenizer do.

/// Splits text into the words GPT-2's byte-level BPE encodes one at a time.
///
/// The pattern is evaluated by hand over Unicode scalars rather than with a regular
/// expression engine: it is several times faster and does not depend on how a particular
/// engine defines `\s`. The classes follow Python's `regex` module: `\p{L}` is general
/// category L*, `\p{N}` is N*, and `\s` is the Unicode `White_Space` property
/// (`Unicode.Scalar.Properties.isWhitespace`; it excludes U+001C…U+001F, unlike `str.isspace`).
///
/// ```swift
/// ByteLevelPreTokenizer().split("I'm   here!")  // ["I", "'m", "  ", " here", "!"]
/// ```
public struct ByteLevelPreTokenizer: Sendable {
    /// The pattern this type evaluates, spelled as GPT-2's `encoder.py` and Hugging Face
    /// `tokenizer.json` files (a `Split` pre-tokenizer's `pattern.Regex`) spell it.
    static let pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// Creates the GPT-2 pre-tokenizer; it has no settings.
    public init() {}

    /// Whether `scalar` is a letter or number (`\p{L}` or `\p{N}`): what a word piece holds,
    /// and what a punctuation piece (`[^\s\p{L}\p{N}]+`) does not.
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let kind = ScalarKind.of(scalar)
        return kind == .letter || kind == .number
    }

    /// Splits text into pre-token words, which concatenate back to `text`.
    public func split(_ text: String) -> [Substring] {
        var copy = text
        var ranges: [Range<Int>] = []
        copy.withUTF8 { buffer in
            forEachPiece(in: buffer, range: 0..<buffer.count) { ranges.append($0) }
        }
        let utf8 = text.utf8
        return ranges.map { range in
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(start, offsetBy: range.count)
            return text[start..<end]
        }
    }

    /// Calls `body` with the byte range of each pre-token word of `buffer[range]`, in order.
    ///
    /// `buffer` must be valid UTF-8 (as every Swift `String`'s bytes are) and `range` must
    /// start and end on scalar boundaries.
    func forEachPiece(
        in buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, _ body: (Range<Int>) -> Void
    ) {
        var position = range.lowerBound
        let end = range.upperBound
        while position < end {
            let pieceEnd = endOfPiece(startingAt: position, end: end, buffer: buffer)
            body(position..<pieceEnd)
            position = pieceEnd
        }
    }

    /// Returns where the piece that starts at `start` ends: the pattern's alternatives in order.
    private func endOfPiece(startingAt start: Int, end: Int, buffer: UnsafeBufferPointer<UInt8>) -> Int {
        let first = buffer[start]
        // 's|'t|'re|'ve|'m|'ll|'d — ASCII only, and case-sensitive as in GPT-2.
        if first == UInt8(ascii: "'"), start + 1 < end {
            let second = buffer[start + 1]
            switch second {
            case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                return start + 2
            case UInt8(ascii: "r"), UInt8(ascii: "v"):
                if start + 2 < end, buffer[start + 2] == UInt8(ascii: "e") { return start + 3 }
            case UInt8(ascii: "l"):
                if start + 2 < end, buffer[start + 2] == UInt8(ascii: "l") { return start + 3 }
            default:
                break
            }
        }
        var (kind, length) = ScalarKind.classify(buffer, at: start)
        var runStart = start
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: only U+0020 itself may lead a word.
        if first == UInt8(ascii: " "), start + 1 < end {
            let (nextKind, nextLength) = ScalarKind.classify(buffer, at: start + 1)
            if nextKind != .whitespace {
                kind = nextKind
                length = nextLength
                runStart = start + 1
            }
        }
        if kind != .whitespace {
            var position = runStart + length
            while position < end {
                let (nextKind, nextLength) = ScalarKind.classify(buffer, at: position)
                guard nextKind == kind else { break }
                position += nextLength
            }
            return position
        }
        // `\s+(?!\S)` then `\s+`: a whitespace run that is followed by a non-space leaves its
        // last scalar to that word (so "a   b" gives "a", "  ", " b"), unless the run is a
        // single scalar, which `\s+` then takes alone.
        var position = start
        var lastScalarStart = start
        while position < end {
            let (nextKind, nextLength) = ScalarKind.classify(buffer, at: position)
            guard nextKind == .whitespace else { break }
            lastScalarStart = position
            position += nextLength
        }
        if position == end || lastScalarStart == start {
            return position
        }
        return lastScalarStart
    }
}
