// IconShop's sequence layout (Wu et al. 2023, section 3.2 "Tokenization"): keyword text
// tokens, a separator, then SVG tokens: a command token (M, L, C), its points, an end-of-path
// token after each path and an end-of-icon token. IconShop embeds a point as one token
// x + W*y; we use the factorised variant (an x token then a y token), which keeps the
// vocabulary at 2W coordinate tokens instead of W^2 (400 instead of 40,000 at W = 200).

import Foundation

/// Token ids of the icon vocabulary: specials, keyword words, then x and y coordinates.
///
/// ```swift
/// let tokenizer = IconTokenizer(gridSize: 200, words: ["camera", "heart"])
/// let prompt = tokenizer.prompt(text: "camera")          // [BOS, camera, SEP]
/// let svg = tokenizer.encode(icon)                       // [M, x, y, C, ..., EOP, ..., EOI]
/// let back = try tokenizer.decode(svg)                   // == icon
/// ```
public struct IconTokenizer: Codable, Sendable, Equatable {
    /// Special token ids: padding, begin-of-sequence, text/SVG separator and the M, L, C commands.
    public static let pad = 0, bos = 1, separator = 2, moveTo = 3, lineTo = 4, cubicTo = 5
    /// Special token ids: end of path, end of icon, the fill-in-the-middle masks and unknown keyword.
    public static let endOfPath = 6, endOfIcon = 7, mask = 8, endOfMask = 9, unknownWord = 10
    static let specialCount = 11

    /// Side of the coordinate grid W.
    public let gridSize: Int
    /// The keyword vocabulary (lowercase words), in id order.
    public let words: [String]
    private var wordIds: [String: Int] = [:]

    /// A tokenizer for a `gridSize` grid and keyword vocabulary `words`.
    public init(gridSize: Int, words: [String]) {
        self.gridSize = gridSize
        self.words = words
        wordIds = Dictionary(words.enumerated().map { ($1, $0 + Self.specialCount) }, uniquingKeysWith: { a, _ in a })
    }

    private enum CodingKeys: String, CodingKey { case gridSize, words }

    /// Reads `gridSize` and `words` and rebuilds the word index.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(gridSize: try container.decode(Int.self, forKey: .gridSize), words: try container.decode([String].self, forKey: .words))
    }

    /// Id of the first keyword word.
    public var firstWord: Int { Self.specialCount }
    /// Id of x coordinate 0.
    public var xBase: Int { Self.specialCount + words.count }
    /// Id of y coordinate 0.
    public var yBase: Int { xBase + gridSize }
    /// Specials, words, then `gridSize` x and `gridSize` y tokens.
    public var vocabularySize: Int { yBase + gridSize }

    /// Whether `token` is a keyword (the unknown-word token included).
    public func isWord(_ token: Int) -> Bool { token == Self.unknownWord || (token >= firstWord && token < xBase) }
    /// Whether `token` is an x coordinate.
    public func isX(_ token: Int) -> Bool { token >= xBase && token < yBase }
    /// Whether `token` is a y coordinate.
    public func isY(_ token: Int) -> Bool { token >= yBase && token < vocabularySize }

    /// Lowercase words of a keyword string or file name ("arrow-left_circle 2" -> arrow, left, circle, 2).
    public static func words(in text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// Text tokens of `text` (each distinct word once, unknown words as the unknown token).
    public func encodeText(_ text: String) -> [Int] {
        var seen = Set<String>()
        return Self.words(in: text).filter { seen.insert($0).inserted }.map { wordIds[$0] ?? Self.unknownWord }
    }

    /// `[BOS] text [SEP]`: the start of every sequence.
    public func prompt(text: String) -> [Int] { [Self.bos] + encodeText(text) + [Self.separator] }

    /// The words of text tokens (unknown as "?").
    public func decodeText(_ tokens: [Int]) -> [String] {
        tokens.compactMap { isWord($0) ? ($0 == Self.unknownWord ? "?" : words[$0 - firstWord]) : nil }
    }

    /// Tokens of one path, ending with end-of-path.
    public func encode(path: [GridCommand]) -> [Int] {
        var tokens: [Int] = []
        for command in path {
            switch command {
            case .move: tokens.append(Self.moveTo)
            case .line: tokens.append(Self.lineTo)
            case .cubic: tokens.append(Self.cubicTo)
            }
            for p in command.points { tokens += [xBase + p.x, yBase + p.y] }
        }
        return tokens + [Self.endOfPath]
    }

    /// SVG tokens of an icon: its paths, then end-of-icon.
    public func encode(_ icon: QuantizedIcon) -> [Int] {
        icon.paths.flatMap { encode(path: $0) } + [Self.endOfIcon]
    }

    /// Paths from SVG tokens (an end-of-icon token, if present, ends the icon).
    ///
    /// - Throws: ``IconError/invalidTokens(detail:)`` naming the position of the first token
    ///   that breaks the grammar.
    public func decode(_ tokens: [Int]) throws -> QuantizedIcon {
        var paths: [[GridCommand]] = []
        var current: [GridCommand] = []
        var i = 0
        func fail(_ why: String) -> IconError { .invalidTokens(detail: "position \(i): \(why)") }
        func point() throws -> GridPoint {
            guard i + 1 < tokens.count, isX(tokens[i]), isY(tokens[i + 1]) else { throw fail("expected an x then a y coordinate") }
            defer { i += 2 }
            return GridPoint(tokens[i] - xBase, tokens[i + 1] - yBase)
        }
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            switch token {
            case Self.moveTo:
                guard current.isEmpty else { throw fail("M inside a path (missing end-of-path)") }
                current = [.move(try point())]
            case Self.lineTo, Self.cubicTo:
                guard !current.isEmpty else { throw fail("drawing command before M") }
                current.append(token == Self.lineTo ? .line(try point()) : .cubic(try point(), try point(), try point()))
            case Self.endOfPath:
                guard current.count > 1 else { throw fail("end of path without a drawing command") }
                paths.append(current)
                current = []
            case Self.endOfIcon:
                guard current.isEmpty else { throw fail("end of icon inside a path") }
                return QuantizedIcon(gridSize: gridSize, paths: paths)
            default:
                throw fail("token \(token) is not an SVG command")
            }
        }
        guard current.isEmpty else { throw fail("sequence ends inside a path") }
        return QuantizedIcon(gridSize: gridSize, paths: paths)
    }
}
