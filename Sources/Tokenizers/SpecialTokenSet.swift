/// Special tokens (like `<|endoftext|>`, `<pad>`, `<unk>`) that are matched whole in text
/// before a tokenizer splits the rest.
///
/// This is the mechanism Hugging Face calls "added tokens": the text is cut at every
/// occurrence of a special token, each occurrence becomes that token's id, and only the
/// pieces in between reach the tokenizer's own model (BPE, characters, words). Where two
/// special tokens could match at one position the longest wins (`<|end|>` vs `<|endoftext|>`);
/// otherwise the leftmost occurrence wins. All tokenizers in this module use it, and an
/// application's own tokenizer can too.
///
/// ```swift
/// let specials = try SpecialTokenSet([("<|endoftext|>", 50256)])
/// specials.split("Hello<|endoftext|>World")
/// // [.text("Hello"), .special(token: "<|endoftext|>", id: 50256), .text("World")]
/// ```
public struct SpecialTokenSet: Sendable {
    /// A piece of text as cut by ``split(_:)``.
    public enum Segment: Sendable, Equatable {
        /// Ordinary text between special tokens, never empty.
        case text(Substring)
        /// One occurrence of a special token.
        case special(token: String, id: Int)
    }

    /// The registered tokens, in the order given.
    public let tokens: [String]

    /// The id of each registered token, parallel to ``tokens``.
    public let ids: [Int]

    private let idByBytes: [ByteString: Int]
    // For each possible first byte, the indices of tokens starting with it, longest first.
    private let candidatesByFirstByte: [[Int]]
    private let tokenBytes: [[UInt8]]

    /// Creates a set with no special tokens.
    public init() {
        tokens = []
        ids = []
        idByBytes = [:]
        candidatesByFirstByte = Array(repeating: [], count: 256)
        tokenBytes = []
    }

    /// Registers special tokens with their ids.
    ///
    /// - Parameter entries: Token text and id pairs; texts must be non-empty and distinct.
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` naming the offending token.
    public init(_ entries: [(token: String, id: Int)]) throws {
        var idByBytes: [ByteString: Int] = [:]
        var candidates = [[Int]](repeating: [], count: 256)
        var tokenBytes: [[UInt8]] = []
        for (index, entry) in entries.enumerated() {
            let bytes = Array(entry.token.utf8)
            guard let first = bytes.first else {
                throw TokenizerError.invalidConfiguration(
                    field: "specialTokens[\(index)]", reason: "a special token cannot be empty")
            }
            guard idByBytes.updateValue(entry.id, forKey: ByteString(bytes)) == nil else {
                throw TokenizerError.invalidConfiguration(
                    field: "specialTokens[\(index)]", reason: "\"\(entry.token)\" is listed twice")
            }
            guard entry.id >= 0 else {
                throw TokenizerError.invalidConfiguration(
                    field: "specialTokens[\(index)]", reason: "id \(entry.id) of \"\(entry.token)\" is negative")
            }
            candidates[Int(first)].append(index)
            tokenBytes.append(bytes)
        }
        for first in candidates.indices {
            candidates[first].sort { tokenBytes[$0].count > tokenBytes[$1].count }
        }
        self.tokens = entries.map(\.token)
        self.ids = entries.map(\.id)
        self.idByBytes = idByBytes
        self.candidatesByFirstByte = candidates
        self.tokenBytes = tokenBytes
    }

    /// Whether no special token is registered.
    public var isEmpty: Bool { tokens.isEmpty }

    /// Returns the id of a registered special token.
    public func id(for token: String) -> Int? {
        idByBytes[ByteString(token)]
    }

    /// Cuts text at every occurrence of a special token.
    ///
    /// - Returns: Segments that concatenate back to `text`; text segments are never empty.
    public func split(_ text: String) -> [Segment] {
        var copy = text
        var segments: [Segment] = []
        let utf8 = text.utf8
        copy.withUTF8 { buffer in
            forEachSegment(in: buffer) { range in
                let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                let end = utf8.index(start, offsetBy: range.count)
                segments.append(.text(text[start..<end]))
            } special: { index in
                segments.append(.special(token: tokens[index], id: ids[index]))
            }
        }
        return segments
    }

    /// Calls `text` with the byte range of each non-empty stretch of ordinary text and
    /// `special` with the index (into ``tokens``) of each special token, in order.
    func forEachSegment(
        in buffer: UnsafeBufferPointer<UInt8>,
        text: (Range<Int>) -> Void,
        special: (Int) -> Void
    ) {
        guard !tokens.isEmpty else {
            if !buffer.isEmpty { text(0..<buffer.count) }
            return
        }
        var textStart = 0
        var position = 0
        // A match of valid UTF-8 inside valid UTF-8 that starts on a lead byte always lies on
        // scalar boundaries, so byte-wise matching never cuts a character's encoding.
        while position < buffer.count {
            let candidates = candidatesByFirstByte[Int(buffer[position])]
            var matched: Int?
            for index in candidates where matches(tokenBytes[index], in: buffer, at: position) {
                matched = index
                break
            }
            guard let index = matched else {
                position += 1
                continue
            }
            if textStart < position { text(textStart..<position) }
            special(index)
            position += tokenBytes[index].count
            textStart = position
        }
        if textStart < buffer.count { text(textStart..<buffer.count) }
    }

    private func matches(_ token: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard position + token.count <= buffer.count else { return false }
        for offset in 1..<token.count where buffer[position + offset] != token[offset] {
            return false
        }
        return true
    }
}
