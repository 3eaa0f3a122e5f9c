import FMIndex
import Testing

struct SuffixArrayTests {
    @Test(arguments: [
        (seed: 1, alphabet: 1), (seed: 2, alphabet: 2), (seed: 3, alphabet: 3),
        (seed: 4, alphabet: 4), (seed: 5, alphabet: 20), (seed: 6, alphabet: 1000), (seed: 7, alphabet: 50_000),
    ] as [(seed: UInt64, alphabet: Int)])
    func matchesNaiveSortOnRandomTexts(seed: UInt64, alphabet: Int) throws {
        var rng = SplitMix64(seed: seed)
        for length in [0, 1, 2, 3, 7, 64, 300, 1500] {
            let text = (0..<length).map { _ in Int32(Int.random(in: 0..<alphabet, using: &rng)) }
            #expect(try SuffixArray.build(text) == naiveSuffixArray(text), "length \(length)")
        }
    }

    /// Periodic and run-heavy texts force several levels of SA-IS recursion.
    @Test(arguments: [[0], [1, 0], [2, 1, 2], [3, 3, 1, 3, 3, 1, 3], [5, 4, 5, 4, 4]] as [[Int32]])
    func matchesNaiveSortOnRepetitiveTexts(period: [Int32]) throws {
        for repeats in [1, 2, 5, 33, 200] {
            let text = Array([[Int32]](repeating: period, count: repeats).joined())
            #expect(try SuffixArray.build(text) == naiveSuffixArray(text), "\(repeats) repeats")
        }
    }

    /// A medium text with a tiny alphabet: long common prefixes and a deep recursion.
    @Test func matchesNaiveSortOnAMediumBinaryText() throws {
        var rng = SplitMix64(seed: 8)
        let text = (0..<20_000).map { _ in Int32(Int.random(in: 0..<2, using: &rng)) }
        #expect(try SuffixArray.build(text) == naiveSuffixArray(text))
    }

    @Test func rejectsNegativeSymbols() {
        #expect(throws: FMIndexError.tokenOutOfRange(document: 0, position: 2, token: -1)) {
            try SuffixArray.build([1, 2, -1])
        }
    }
}

struct XXHash64Tests {
    /// Reference digests from the `xxhash` Python package 4.1.0 (`xxhash.xxh64(data).intdigest()`).
    static let vectors: [(bytes: [UInt8], digest: UInt64)] = [
        ([], 0xEF46_DB37_51D8_E999),
        (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
        (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
        ((0..<768).map { UInt8($0 % 256) }, 0x8E03_C838_C596_036F),
        (Array((String(repeating: "0123456789abcdef", count: 5) + "xyz").utf8), 0x2CF0_AB3F_2D7C_78C7),
    ]

    @Test(arguments: 0..<5)
    func matchesReferenceDigests(vector: Int) {
        let (bytes, digest) = Self.vectors[vector]
        #expect(bytes.withUnsafeBytes { XXHash64.hash($0) } == digest)
    }
}
