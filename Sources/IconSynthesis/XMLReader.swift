import Foundation

/// An element of a parsed XML document: name, attributes and child elements (text is dropped;
/// SVG icons keep their geometry in attributes).
public final class XMLNode: Sendable {
    /// The element's name (`svg`, `path`, ...).
    public let name: String
    /// The attributes, by name.
    public let attributes: [String: String]
    /// Child elements, in document order.
    public let children: [XMLNode]
    /// 1-based line of the start tag, for error messages.
    public let line: Int

    init(name: String, attributes: [String: String], children: [XMLNode], line: Int) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.line = line
    }
}

/// A small, strict XML reader for SVG files: elements, attributes, comments, processing
/// instructions, DOCTYPE (with internal subset), CDATA and the predefined and numeric
/// entities. Foundation's `XMLParser` needs FoundationXML (libxml2) on Linux; this reader has
/// no dependency and reports the line of every error.
///
/// ```swift
/// let root = try XMLReader.parse(Data("<svg><path d='M0 0L1 1'/></svg>".utf8), file: "a.svg")
/// root.children[0].attributes["d"]   // "M0 0L1 1"
/// ```
public struct XMLReader {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private let file: String

    private init(_ data: Data, file: String) {
        bytes = Array(data)
        self.file = file
    }

    /// The root element of `data`.
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` naming the line.
    public static func parse(_ data: Data, file: String) throws -> XMLNode {
        var reader = XMLReader(data, file: file)
        return try reader.document()
    }

    private func fail(_ detail: String) -> IconError {
        .malformedSVG(file: file, detail: "line \(line): \(detail)")
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < bytes.count {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        return bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    private mutating func skip(until terminator: String) throws {
        while index < bytes.count && !starts(with: terminator) { advance() }
        guard index < bytes.count else { throw fail("unterminated construct, expected \"\(terminator)\"") }
        advance(terminator.utf8.count)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { advance() }
    }

    /// Skips comments, processing instructions, DOCTYPE and text up to the next tag.
    private mutating func skipMisc(allowText: Bool) throws {
        while index < bytes.count {
            if starts(with: "<!--") { try skip(until: "-->") }
            else if starts(with: "<?") { try skip(until: "?>") }
            else if starts(with: "<![CDATA[") { try skip(until: "]]>") }
            else if starts(with: "<!DOCTYPE") || starts(with: "<!doctype") {
                var depth = 0
                while index < bytes.count {
                    if bytes[index] == 0x5B { depth += 1 } else if bytes[index] == 0x5D { depth -= 1 }
                    else if bytes[index] == 0x3E && depth == 0 { break }
                    advance()
                }
                guard index < bytes.count else { throw fail("unterminated DOCTYPE") }
                advance()
            } else if bytes[index] == 0x3C { return }
            else {
                let isSpace = bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
                guard allowText || isSpace || (index == 0 && starts(with: "\u{FEFF}")) else {
                    throw fail("text outside the root element")
                }
                advance(index == 0 && starts(with: "\u{FEFF}") ? 3 : 1)
            }
        }
    }

    private mutating func document() throws -> XMLNode {
        try skipMisc(allowText: false)
        guard index < bytes.count else { throw fail("no root element (empty or not XML)") }
        let root = try element()
        try skipMisc(allowText: false)
        guard index >= bytes.count else { throw fail("content after the root element") }
        return root
    }

    private mutating func name() throws -> String {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x2F || b == 0x3E || b == 0x3D { break }
            advance()
        }
        guard index > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func element() throws -> XMLNode {
        let startLine = line
        advance()  // <
        let tag = try name()
        var attributes: [String: String] = [:]
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated start tag <\(tag)>") }
            if starts(with: "/>") {
                advance(2)
                return XMLNode(name: tag, attributes: attributes, children: [], line: startLine)
            }
            if bytes[index] == 0x3E { advance(); break }
            let key = try name()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x3D else { throw fail("attribute \(key) of <\(tag)> has no value") }
            advance()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27 else {
                throw fail("attribute \(key) of <\(tag)> is not quoted")
            }
            let quote = bytes[index]
            advance()
            let start = index
            while index < bytes.count && bytes[index] != quote { advance() }
            guard index < bytes.count else { throw fail("unterminated value of attribute \(key)") }
            attributes[key] = try decodeEntities(String(decoding: bytes[start..<index], as: UTF8.self))
            advance()
        }
        var children: [XMLNode] = []
        while true {
            try skipMisc(allowText: true)
            guard index < bytes.count else { throw fail("element <\(tag)> (line \(startLine)) is not closed") }
            if starts(with: "</") {
                advance(2)
                let closing = try name()
                guard closing == tag else { throw fail("</\(closing)> closes <\(tag)> of line \(startLine)") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == 0x3E else { throw fail("malformed end tag </\(closing)") }
                advance()
                return XMLNode(name: tag, attributes: attributes, children: children, line: startLine)
            }
            children.append(try element())
        }
    }

    private func decodeEntities(_ text: String) throws -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw fail("unterminated entity") }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") { code = UInt32(entity.dropFirst(2), radix: 16) }
                else if entity.hasPrefix("#") { code = UInt32(entity.dropFirst()) }
                else { code = nil }
                guard let code, let scalar = UnicodeScalar(code) else { throw fail("unknown entity &\(entity);") }
                result.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
