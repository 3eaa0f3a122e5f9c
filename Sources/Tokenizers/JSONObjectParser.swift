/// Parses a flat JSON object whose values are integers (`{"a": 1, "b": 2}`), keeping the
/// byte offset of every key and of every error.
///
/// Written by hand for ``VocabularyFile``; see there for why. Follows RFC 8259: escapes
/// including surrogate pairs, no raw control characters in strings, surrounding whitespace.
struct JSONObjectParser {
    /// Where and why parsing stopped.
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseStringToIntegerObject() throws -> [(key: String, value: Int, offset: Int)] {
        var members: [(key: String, value: Int, offset: Int)] = []
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "expected '{' at the start of the object")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                let keyOffset = position
                let key = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after the key \"\(key)\"")
                skipWhitespace()
                let value = try parseInteger(for: key)
                members.append((key, value, keyOffset))
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "expected ',' or '}' after the id of \"\(key)\"")
                break
            }
        }
        skipWhitespace()
        guard position == bytes.count else {
            throw Failure(offset: position, reason: "unexpected content after the closing '}'")
        }
        return members
    }

    /// Returns a string as a JSON string literal, escaping only what JSON requires.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws {
        guard peek() == byte else { throw Failure(offset: position, reason: reason) }
        position += 1
    }

    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""), "expected a '\"' starting a token string")
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw Failure(offset: position, reason: "the file ends inside a string")
            }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw Failure(offset: position - 1, reason: "the string before this point is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw Failure(offset: position - 1, reason: "raw control character 0x\(String(byte, radix: 16)) in a string (JSON requires an escape)")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws {
        guard let byte = peek() else { throw Failure(offset: position, reason: "the file ends inside an escape") }
        position += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw Failure(offset: position - 1, reason: "invalid escape '\\\(Unicode.Scalar(byte))'")
        }
        var value = try parseHex4()
        if (0xD800..<0xDC00).contains(value) {
            // A high surrogate must be followed by an escaped low surrogate (JSON's UTF-16 escapes).
            guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw Failure(offset: position, reason: "high surrogate \\u\(String(value, radix: 16)) without a low surrogate")
            }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
                throw Failure(offset: position - 6, reason: "expected a low surrogate, found \\u\(String(low, radix: 16))")
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw Failure(offset: position - 6, reason: "lone surrogate \\u\(String(value, radix: 16))")
        }
        utf8.append(contentsOf: Array(String(scalar).utf8))
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else {
            throw Failure(offset: position, reason: "expected four hexadecimal digits after '\\u'")
        }
        position += 4
        return value
    }

    private mutating func parseInteger(for key: String) throws -> Int {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        let isFraction = peek().map { [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains($0) } ?? false
        guard !isFraction, let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw Failure(offset: start, reason: "the id of \"\(key)\" is not an integer")
        }
        return value
    }
}
