// Source: OpenAI GPT-2 `encoder.py`, `bytes_to_unicode()` (Radford et al. 2019,
// github.com/openai/gpt-2/blob/master/src/encoder.py).

/// GPT-2's reversible mapping from the 256 byte values to 256 printable Unicode scalars.
///
/// BPE vocabularies spell tokens in this alphabet so that every token is printable text in
/// `vocab.json` and `merges.txt`: bytes `!`…`~`, `¡`…`¬`, `®`…`ÿ` stand for themselves, and
/// the other 68 bytes map in increasing order to U+0100, U+0101, … (space → `Ġ`, `\n` → `Ċ`).
///
/// ```swift
/// ByteLevelAlphabet.spelling(of: Array(" world".utf8))  // "Ġworld"
/// ByteLevelAlphabet.bytes(of: "Ġworld")                 // [32, 119, 111, 114, 108, 100]
/// ```
public enum ByteLevelAlphabet {
    /// The scalar that stands for each byte value, indexed by byte.
    public static let scalarForByte: [Unicode.Scalar] = {
        var scalars = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                scalars[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                scalars[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return scalars
    }()

    /// The 256 bytes in GPT-2's vocabulary order: printable ones first, then the rest.
    ///
    /// GPT-2's `vocab.json` gives ids 0…255 to the single bytes in this order, and
    /// ``BytePairTrainer`` follows it so trained vocabularies start the same way.
    public static let bytesInVocabularyOrder: [UInt8] = {
        let printable = (0...255).map(UInt8.init).filter(isPrintable)
        let others = (0...255).map(UInt8.init).filter { !isPrintable($0) }
        return printable + others
    }()

    // The alphabet only reaches U+0143, so a flat table indexed by scalar value is small.
    private static let byteForScalarValue: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar.value)] = Int16(byte)
        }
        return table
    }()

    /// Returns the byte a scalar of the alphabet stands for, or `nil` if it is not in the alphabet.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalarValue.count else { return nil }
        let byte = byteForScalarValue[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// Spells raw bytes in the alphabet, as `vocab.json` and `merges.txt` do.
    public static func spelling(of bytes: some Sequence<UInt8>) -> String {
        var result = String.UnicodeScalarView()
        for byte in bytes {
            result.append(scalarForByte[Int(byte)])
        }
        return String(result)
    }

    /// Returns the bytes a spelled token stands for, or `nil` if it has a scalar outside the alphabet.
    public static func bytes(of spelling: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(spelling.unicodeScalars.count)
        for scalar in spelling.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
