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
/// instructions, CDATA, the predefined and numeric entities, and a DOCTYPE whose internal subset
/// declares entities (as Adobe Illustrator writes `<!ENTITY ns_svg "http://www.w3.org/2000/svg">`).
/// Foundation's `XMLParser` needs FoundationXML (libxml2) on Linux; this reader has no
/// dependency and reports the line of every error.
///
/// It follows librsvg (which reads SVG through libxml2): internal general entities are expanded
/// in attribute values and in content (where their markup is parsed); external entities and the
/// external DTD are never fetched, and parameter entities are ignored. Limits keep hostile
/// files cheap: at most ``maximumDepth`` nested elements (libxml2's default) and at most
/// ``maximumEntityExpansion`` bytes added by entity expansion (the "billion laughs" bound).
///
/// ```swift
/// let root = try XMLReader.parse(Data("<svg><path d='M0 0L1 1'/></svg>".utf8), file: "a.svg")
/// root.children[0].attributes["d"]   // "M0 0L1 1"
/// ```
public struct XMLReader {
    /// The deepest element nesting accepted; deeper documents are malformed.
    public static let maximumDepth = 256
    /// The most bytes entity expansion may add to one document.
    public static let maximumEntityExpansion = 1 << 20
    /// Entity references nested in entity values, at most.
    static let maximumEntityNesting = 16

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private let file: String
    /// Internal general entities: name -> replacement text (character references expanded).
    private var entities: [String: String] = [:]
    /// Names of declared external entities, which are never loaded.
    private var externalEntities: Set<String> = []
    /// Bytes added by entity expansion so far (shared with the readers of entity content).
    private var expandedBytes = 0

    private init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The root element of `data`.
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` naming the line.
    public static func parse(_ data: Data, file: String) throws -> XMLNode {
        var reader = XMLReader(Array(data), file: file)
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

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    private mutating func skipWhitespace() {
        while index < bytes.count, isSpace(bytes[index]) { advance() }
    }

    /// Skips comments, processing instructions, DOCTYPE and text up to the next tag, or (in
    /// content) up to a reference to a declared entity.
    private mutating func skipMisc(allowText: Bool) throws {
        while index < bytes.count {
            if starts(with: "<!--") { try skip(until: "-->") }
            else if starts(with: "<?") { try skip(until: "?>") }
            else if starts(with: "<![CDATA[") { try skip(until: "]]>") }
            else if starts(with: "<!DOCTYPE") || starts(with: "<!doctype") { try doctype() }
            else if bytes[index] == 0x3C { return }
            else if allowText, bytes[index] == 0x26, declaredReference() != nil { return }
            else {
                let byteOrderMark = index == 0 && starts(with: "\u{FEFF}")
                guard allowText || isSpace(bytes[index]) || byteOrderMark else { throw fail("text outside the root element") }
                advance(byteOrderMark ? 3 : 1)
            }
        }
    }

    private mutating func document() throws -> XMLNode {
        try skipMisc(allowText: false)
        guard index < bytes.count else { throw fail("no root element (empty or not XML)") }
        let root = try element(depth: 1)
        try skipMisc(allowText: false)
        guard index >= bytes.count else { throw fail("content after the root element") }
        return root
    }

    private mutating func name() throws -> String {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if isSpace(b) || b == 0x2F || b == 0x3E || b == 0x3D { break }
            advance()
        }
        guard index > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A quoted string (the opening quote at `index`), without its quotes.
    private mutating func quoted() throws -> String {
        let quote = bytes[index]
        advance()
        let start = index
        while index < bytes.count && bytes[index] != quote { advance() }
        guard index < bytes.count else { throw fail("unterminated quoted string") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        advance()
        return text
    }

    private mutating func element(depth: Int) throws -> XMLNode {
        guard depth <= Self.maximumDepth else { throw fail("elements nested deeper than \(Self.maximumDepth)") }
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
            attributes[key] = try replacingReferences(in: Substring(String(decoding: bytes[start..<index], as: UTF8.self)), .all)
            advance()
        }
        var children: [XMLNode] = []
        try content(into: &children, depth: depth)
        guard index < bytes.count else { throw fail("element <\(tag)> (line \(startLine)) is not closed") }
        advance(2)  // </
        let closing = try name()
        guard closing == tag else { throw fail("</\(closing)> closes <\(tag)> of line \(startLine)") }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == 0x3E else { throw fail("malformed end tag </\(closing)") }
        advance()
        return XMLNode(name: tag, attributes: attributes, children: children, line: startLine)
    }

    /// Child elements up to an end tag (left at `index`) or the end of the input.
    private mutating func content(into children: inout [XMLNode], depth: Int) throws {
        while true {
            try skipMisc(allowText: true)
            guard index < bytes.count, !starts(with: "</") else { return }
            if let name = declaredReference() {
                advance(name.utf8.count + 2)
                let replacement = try replacingReferences(in: Substring("&\(name);"), .declaredEntities)
                guard replacement.contains("<") else { continue }  // text only: dropped like all text
                // Markup from an entity is parsed in place, as libxml2 does for librsvg.
                guard depth < Self.maximumDepth else { throw fail("elements nested deeper than \(Self.maximumDepth)") }
                var inner = XMLReader(Array(replacement.utf8), file: file)
                inner.line = line
                inner.entities = entities
                inner.externalEntities = externalEntities
                inner.expandedBytes = expandedBytes
                try inner.content(into: &children, depth: depth + 1)
                guard inner.index >= inner.bytes.count else { throw fail("entity &\(name); closes an element it did not open") }
                expandedBytes = inner.expandedBytes
                continue
            }
            children.append(try element(depth: depth + 1))
        }
    }

    /// The name of the internal entity referenced at `index`, if any (external ones stay text).
    private func declaredReference() -> String? {
        guard index < bytes.count, bytes[index] == 0x26 else { return nil }
        var end = index + 1
        while end < bytes.count, end - index <= 256, bytes[end] != 0x3B, !isSpace(bytes[end]), bytes[end] != 0x3C { end += 1 }
        guard end < bytes.count, bytes[end] == 0x3B else { return nil }
        let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        return entities[name] != nil ? name : nil
    }

    // MARK: DOCTYPE and entities

    /// Reads `<!DOCTYPE name externalID? [internal subset]? >`, recording the entities the
    /// internal subset declares. The external DTD is never read.
    private mutating func doctype() throws {
        advance(9)
        while index < bytes.count {
            switch bytes[index] {
            case 0x22, 0x27: _ = try quoted()
            case 0x5B: advance(); try internalSubset()
            case 0x3E: advance(); return
            default: advance()
            }
        }
        throw fail("unterminated DOCTYPE")
    }

    private mutating func internalSubset() throws {
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated DOCTYPE internal subset") }
            if bytes[index] == 0x5D { advance(); return }
            if starts(with: "<!--") { try skip(until: "-->") }
            else if starts(with: "<?") { try skip(until: "?>") }
            else if starts(with: "<!ENTITY") { try entityDeclaration() }
            else if starts(with: "<!") { try skipDeclaration() }  // ELEMENT, ATTLIST, NOTATION
            else if bytes[index] == 0x25 { try skip(until: ";") }  // a parameter-entity reference
            else { throw fail("unexpected text in the DOCTYPE internal subset") }
        }
    }

    /// Skips to the `>` that ends a markup declaration (quoted strings may hold `>`).
    private mutating func skipDeclaration() throws {
        while index < bytes.count {
            switch bytes[index] {
            case 0x22, 0x27: _ = try quoted()
            case 0x3E: advance(); return
            default: advance()
            }
        }
        throw fail("unterminated declaration in the DOCTYPE")
    }

    /// `<!ENTITY name "value">` (kept), `<!ENTITY name SYSTEM ...>` (external: never loaded),
    /// `<!ENTITY % name ...>` (a parameter entity: ignored). The first declaration of a name binds.
    private mutating func entityDeclaration() throws {
        advance(8)
        skipWhitespace()
        let isParameter = index < bytes.count && bytes[index] == 0x25
        if isParameter { advance(); skipWhitespace() }
        let name = try self.name()
        skipWhitespace()
        guard index < bytes.count else { throw fail("unterminated declaration of entity \(name)") }
        let isNew = entities[name] == nil && !externalEntities.contains(name)
        if bytes[index] == 0x22 || bytes[index] == 0x27 {
            let value = try replacingReferences(in: Substring(try quoted()), .characters)
            if !isParameter && isNew { entities[name] = value }
        } else if !isParameter && isNew {
            externalEntities.insert(name)
        }
        try skipDeclaration()
    }

    /// Which references ``replacingReferences(in:_:open:)`` replaces.
    private enum References {
        /// Character references only (entity values as declared).
        case characters
        /// Internal entities only, others kept as written (content, where text is dropped).
        case declaredEntities
        /// Everything; an unknown entity is an error (attribute values).
        case all
    }

    /// `text` with references replaced; declared entities expand recursively, within the limits.
    private mutating func replacingReferences(in text: Substring, _ kind: References, open: [String] = []) throws -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw fail("'&' starts no entity reference (write it as &amp;)") }
            let entity = String(rest[rest.index(after: amp)..<semicolon])
            guard !entity.isEmpty, entity.utf8.count <= 256, !entity.contains(where: { $0.isWhitespace || "<&\"'".contains($0) }) else {
                throw fail("'&' starts no entity reference (write it as &amp;)")
            }
            rest = rest[rest.index(after: semicolon)...]
            if kind != .characters, let value = entities[entity] {
                guard !open.contains(entity) else { throw fail("entity &\(entity); refers to itself") }
                guard open.count < Self.maximumEntityNesting else {
                    throw fail("entity references nested deeper than \(Self.maximumEntityNesting) (at &\(entity);)")
                }
                if kind == .all && value.contains("<") { throw fail("entity &\(entity); puts '<' into an attribute value") }
                let replacement = try replacingReferences(in: Substring(value), kind, open: open + [entity])
                expandedBytes += replacement.utf8.count
                guard expandedBytes <= Self.maximumEntityExpansion else {
                    throw fail("entity expansion exceeds \(Self.maximumEntityExpansion) bytes (at &\(entity);)")
                }
                result += replacement
            } else if kind == .all, externalEntities.contains(entity) {
                throw fail("external entity &\(entity); is not loaded")
            } else if let character = Self.predefinedOrCharacter(entity), kind == .all || (kind == .characters && entity.hasPrefix("#")) {
                result.unicodeScalars.append(character)
            } else if kind == .all {
                throw fail("unknown entity &\(entity);")
            } else {
                result += "&\(entity);"
            }
        }
        return result + rest
    }

    /// The character of a predefined entity (`amp`, `lt`, ...) or a character reference (`#38`, `#x26`).
    private static func predefinedOrCharacter(_ entity: String) -> UnicodeScalar? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let code: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") { code = UInt32(entity.dropFirst(2), radix: 16) }
            else if entity.hasPrefix("#") { code = UInt32(entity.dropFirst()) }
            else { code = nil }
            return code.flatMap(UnicodeScalar.init)
        }
    }
}
