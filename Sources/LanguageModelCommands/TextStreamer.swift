import Commands
import Tokenizers

/// Turns generated token ids into text pieces as they arrive.
///
/// A byte-level BPE token may hold only part of a multi-byte UTF-8 character (an emoji is
/// often split over two tokens), and decoding it alone would print U+FFFD. The streamer holds
/// such tokens back until the character is complete (or 4 tokens have passed, which no
/// valid character needs) and leaves out special tokens.
///
/// ```swift
/// var streamer = TextStreamer(tokenizer: tokenizer)
/// for token in tokens { Console.writeOutput(try streamer.append(token)) }
/// Console.writeOutput(try streamer.finish())
/// ```
public struct TextStreamer {
    let tokenizer: any Tokenizer
    private var pending: [Int] = []

    /// A streamer decoding with `tokenizer`.
    public init(tokenizer: any Tokenizer) { self.tokenizer = tokenizer }

    /// Adds a token; returns the text that is now complete (possibly empty).
    public mutating func append(_ token: Int) throws -> String {
        if tokenizer.isSpecialToken(token) { return "" }
        pending.append(token)
        let text = try tokenizer.decode(pending)
        if text.unicodeScalars.last == "\u{FFFD}", pending.count < 4 { return "" }
        pending.removeAll()
        return text
    }

    /// The text of tokens still held back.
    public mutating func finish() throws -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : try tokenizer.decode(pending)
    }
}
