@testable import FMIndex
import Foundation
import Testing

/// The cache-line rank layout (448 bits per 64-byte line) against naive counting, at every
/// position of vectors that end inside, at and just past line and word boundaries.
struct RankBitVectorTests {
    /// Builds a vector through the payload writer and reader, as index files do.
    static func vector(_ bits: [Bool]) throws -> (RankBitVector, IndexStorage) {
        var words = [UInt64](repeating: 0, count: (bits.count + 63) / 64)
        for (i, bit) in bits.enumerated() where bit { words[i / 64] |= 1 << UInt64(i % 64) }
        var writer = PayloadWriter()
        writer.append(7)  // an odd word first, so the section needs alignment padding
        words.withUnsafeBufferPointer { RankBitVector.write(words: $0, count: bits.count, to: &writer) }
        let storage = IndexStorage(words: writer.words)
        var reader = PayloadReader(storage: storage, path: "memory")
        #expect(try reader.integer("marker") == 7)
        let vector = try RankBitVector.read(from: &reader, "test bits")
        try reader.expectEnd()
        return (vector, storage)
    }

    @Test(arguments: [0, 1, 63, 64, 65, 447, 448, 449, 895, 896, 3_001])
    func rankMatchesNaiveCounting(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        for density in [0, 0.02, 0.5, 0.98, 1] {
            let bits = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) < density }
            let (vector, storage) = try Self.vector(bits)
            // The lines sit on cache-line boundaries.
            #expect(UInt(bitPattern: vector.lines) % 64 == 0)
            var ones = [0]
            for bit in bits { ones.append(ones.last! + (bit ? 1 : 0)) }
            for i in 0...count {
                #expect(vector.rank1(i) == ones[i])
                if i < count {
                    #expect(vector.bit(i) == bits[i])
                    #expect(vector.bitAndRank1(i) == (bits[i], ones[i]))
                }
            }
            // Every pair for the short vectors (the same-word path, a full word, a span ending on
            // the next word or line); word- and line-boundary pairs and random ones for the others.
            var pairs: [(Int, Int)] = []
            if count <= 449 {
                for a in 0...count { for b in a...count { pairs.append((a, b)) } }
            } else {
                for a in stride(from: 0, through: count, by: 64) {
                    for width in [0, 1, 63, 64, 65, 447, 448, 449] where a + width <= count { pairs.append((a, a + width)) }
                }
                for _ in 0..<2_000 {
                    let a = Int.random(in: 0...count, using: &generator), b = Int.random(in: 0...count, using: &generator)
                    pairs.append((min(a, b), max(a, b)))
                }
            }
            var mismatches = 0
            for (a, b) in pairs where vector.rank1(a, b) != (ones[a], ones[b]) { mismatches += 1 }
            #expect(mismatches == 0, "\(mismatches) of \(pairs.count) pairs of \(count) bits at density \(density)")
            withExtendedLifetime(storage) {}
        }
    }

    @Test func aBitBeyondTheCountIsMalformed() throws {
        var writer = PayloadWriter()
        [UInt64(0b1011)].withUnsafeBufferPointer { RankBitVector.write(words: $0, count: 4, to: &writer) }
        var words = writer.words
        words[words.count - 7] |= 1 << 10   // line 0, data word 0, bit 10 (count is 4)
        var reader = PayloadReader(storage: IndexStorage(words: words), path: "memory")
        #expect(throws: FMIndexError.self) { _ = try RankBitVector.read(from: &reader, "test bits") }
    }

    @Test func mappedIndexesKeepTheLinesOnCacheLines() throws {
        let index = try FMIndex(documents: (0..<40).map { d in (0..<(d * 7 % 23 + 1)).map { ($0 * 31 + d) % 50 } }, sampleRate: 4)
        let path = temporaryPath("aligned.fmi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.write(to: path)
        let mapped = try FMIndex(contentsOf: path)
        for level in mapped.wavelet.levels { #expect(UInt(bitPattern: level.lines) % 64 == 0) }
        #expect(UInt(bitPattern: mapped.samples.marks.lines) % 64 == 0)
    }

    @Test func aDamagedLineHeaderIsMalformed() throws {
        var words = [UInt64](repeating: 0xF0F0, count: 20)
        var writer = PayloadWriter()
        words.withUnsafeBufferPointer { RankBitVector.write(words: $0, count: 20 * 64, to: &writer) }
        words = writer.words
        // Word 0 is the bit count, then padding to the line, then line 0's header.
        let header = words.indices.first { $0 > 0 && (IndexStorage.payloadPhase + $0 * 8) % 64 == 0 }!
        for damage in [UInt64(1), 1 << 33, 1 << 60] {
            var damaged = words
            damaged[header + 8] ^= damage  // line 1's header
            var reader = PayloadReader(storage: IndexStorage(words: damaged), path: "memory")
            #expect(throws: FMIndexError.self) { _ = try RankBitVector.read(from: &reader, "test bits") }
        }
        // Words 0 and 1 are the bit count and the line section's length; 2 and 3 pad it.
        #expect(header == 4 && words[2] == 0 && words[3] == 0)
        var padded = words
        padded[2] = 5
        var reader = PayloadReader(storage: IndexStorage(words: padded), path: "memory")
        #expect(throws: FMIndexError.self) { _ = try RankBitVector.read(from: &reader, "test bits") }
    }
}
