/// The four classes GPT-2's pre-tokenization pattern distinguishes among Unicode scalars.
enum ScalarKind: UInt8, Sendable {
    /// General category L* (`\p{L}`).
    case letter
    /// General category N* (`\p{N}`).
    case number
    /// The `White_Space` property (`\s` in Python's `regex` module).
    case whitespace
    /// Everything else, including marks (M*), punctuation, symbols and controls.
    case other

    // Most text is ASCII; a table avoids the Unicode property lookup for it.
    private static let asciiKinds: [ScalarKind] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number
        case 0x09...0x0D, 0x20:
            return .whitespace
        default:
            return .other
        }
    }

    /// Classifies one scalar by its Unicode properties.
    static func of(_ scalar: Unicode.Scalar) -> ScalarKind {
        if scalar.value < 128 { return asciiKinds[Int(scalar.value)] }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Decodes the scalar at `index` of valid UTF-8 and returns its kind and its byte length.
    @inline(__always)
    static func classify(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> (ScalarKind, Int) {
        let lead = buffer[index]
        if lead < 0x80 { return (asciiKinds[Int(lead)], 1) }
        let value: UInt32
        let length: Int
        if lead < 0xE0 {
            value = UInt32(lead & 0x1F) << 6 | UInt32(buffer[index + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            value = UInt32(lead & 0x0F) << 12 | UInt32(buffer[index + 1] & 0x3F) << 6
                | UInt32(buffer[index + 2] & 0x3F)
            length = 3
        } else {
            value = UInt32(lead & 0x07) << 18 | UInt32(buffer[index + 1] & 0x3F) << 12
                | UInt32(buffer[index + 2] & 0x3F) << 6 | UInt32(buffer[index + 3] & 0x3F)
            length = 4
        }
        // Valid UTF-8 always decodes to a valid scalar; `other` is only a safe fallback.
        guard let scalar = Unicode.Scalar(value) else { return (.other, length) }
        return (of(scalar), length)
    }
}
