// A bit vector with constant-time rank, the building block of the wavelet matrix.
//
// Interleaved layout after Vigna's rank9 ("Broadword implementation of rank/select queries",
// WEA 2008, Section 3) and Gog & Petri's cache-line layouts ("Optimized succinct data
// structures for massive data", SPE 2014, Section 3): the bits are cut into lines of 448
// (seven 64-bit words), and each line is stored as one 64-byte cache line whose first word
// holds the ones before the line (32 bits) and the ones before its 3rd, 5th and 7th data
// words (9 bits each: at most 384). A rank reads one cache line: the header, at most one
// whole data word and one masked word, two popcounts. Overhead: 1/7 of the bits.
//
// Why: the distinct-symbol descent behind next-token lists (SEAL's constrained decoding step)
// does two ranks per wavelet node; with a separate rank directory (one entry per 1024 bits,
// 6.25 % overhead) each rank touches two cache lines. Measured with the same descent, this
// layout takes about 4 % off next-token lists after 1 token, for +0.15 bytes/token on the
// shipped index (docs/experiments/core.md, "FM-index").
// Lines start 64-byte aligned in memory and in the file (``PayloadWriter/appendLines(_:)``).

/// A read-only bit vector over cache lines in an index payload, with `rank1` in O(1).
struct RankBitVector {
    /// Number of bits.
    let count: Int
    /// `count / 448 + 1` lines of 8 words: a header, then 448 bits (bit `i` of the line is bit
    /// `i % 64` of data word `i / 64`). The extra line makes `rank1(count)` need no branch.
    let lines: UnsafePointer<UInt64>

    static let bitsPerLine = 448
    static let wordsPerLine = 8

    /// Lines that hold `count` bits (one more than needed, so `rank1(count)` has a line).
    static func lineCount(for count: Int) -> Int { count / bitsPerLine + 1 }

    /// The line and the bit offset within it.
    @inline(__always) static func split(_ i: Int) -> (line: Int, offset: Int) {
        let line = i / bitsPerLine
        return (line, i &- line &* bitsPerLine)
    }

    /// Bit `i`, for `i` in `0..<count`.
    @inline(__always) func bit(_ i: Int) -> Bool {
        let (line, offset) = Self.split(i)
        return (lines[line &* 8 &+ 1 &+ offset &>> 6] &>> UInt64(offset & 63)) & 1 == 1
    }

    /// Number of ones in bits `0..<i`, for `i` in `0...count`.
    @inline(__always) func rank1(_ i: Int) -> Int {
        let (line, offset) = Self.split(i)
        return rank1(line: line, offset: offset)
    }

    @inline(__always) func rank1(line: Int, offset: Int) -> Int {
        let base = line &* 8
        let header = lines[base]
        let word = offset &>> 6
        var rank = Int(truncatingIfNeeded: header & 0xFFFF_FFFF)
        let pair = word &>> 1
        if pair != 0 { rank &+= Int(truncatingIfNeeded: (header &>> UInt64(23 &+ 9 &* pair)) & 511) }
        if word & 1 != 0 { rank &+= lines[base &+ word].nonzeroBitCount }
        let tail = offset & 63
        if tail != 0 { rank &+= (lines[base &+ 1 &+ word] & ((1 &<< UInt64(tail)) &- 1)).nonzeroBitCount }
        return rank
    }

    /// `(rank1(lower), rank1(upper))` for `lower <= upper`; when both fall in one word, the
    /// second costs one popcount (narrow ranges stay narrow through every wavelet level).
    @inline(__always) func rank1(_ lower: Int, _ upper: Int) -> (Int, Int) {
        let (line, offset) = Self.split(lower)
        let low = rank1(line: line, offset: offset)
        let span = upper &- lower
        if span == 0 { return (low, low) }
        let shift = offset & 63
        if shift &+ span <= 64 {
            let mask = (span == 64 ? UInt64.max : (1 &<< UInt64(span)) &- 1) &<< UInt64(shift)
            return (low, low &+ (lines[line &* 8 &+ 1 &+ offset &>> 6] & mask).nonzeroBitCount)
        }
        return (low, rank1(upper))
    }

    /// Bit `i` and `rank1(i)` together.
    @inline(__always) func bitAndRank1(_ i: Int) -> (Bool, Int) {
        let (line, offset) = Self.split(i)
        return ((lines[line &* 8 &+ 1 &+ offset &>> 6] &>> UInt64(offset & 63)) & 1 == 1, rank1(line: line, offset: offset))
    }

    /// Number of zeros in bits `0..<i`.
    @inline(__always) func rank0(_ i: Int) -> Int { i &- rank1(i) }

    /// The header word of a line whose data words are `data` (7 words) and which starts
    /// after `before` ones.
    static func header(before: Int, data: (Int) -> UInt64) -> UInt64 {
        var header = UInt64(before)
        var relative = 0
        for word in 0..<6 {
            relative += data(word).nonzeroBitCount
            if word & 1 == 1 { header |= UInt64(relative) << UInt64(23 + 9 * ((word + 1) >> 1)) }
        }
        return header
    }

    /// Reads a bit vector written by ``write(words:count:to:)``.
    static func read(from reader: inout PayloadReader, _ what: String) throws -> RankBitVector {
        let count = try reader.integer("bit count of \(what)")
        let lines = try reader.lines("bits of \(what)")
        let lineCount = lineCount(for: count)
        guard lines.count == lineCount * wordsPerLine else {
            throw reader.malformed("\(what) has \(lines.count) words for \(count) bits; expected \(lineCount * wordsPerLine)")
        }
        // rank1 trusts the headers: check each against the bits it summarises, and that no bit
        // beyond `count` is set (so ranks past the end cannot count stray ones).
        var total = 0
        for line in 0..<lineCount {
            let base = line * wordsPerLine
            for word in 0..<7 {
                let first = line * bitsPerLine + word * 64
                let valid = max(0, min(64, count - first))
                let bits = lines[base + 1 + word]
                if valid < 64, bits >> UInt64(valid) != 0 {
                    throw reader.malformed("\(what) has bits set beyond its \(count) bits")
                }
            }
            guard total <= Int(UInt32.max),
                  lines[base] == header(before: total, data: { lines[base + 1 + $0] }) else {
                throw reader.malformed("rank header of line \(line) of \(what) does not match its bits")
            }
            for word in 0..<7 { total += lines[base + 1 + word].nonzeroBitCount }
        }
        return RankBitVector(count: count, lines: lines.baseAddress!)
    }

    /// Writes `count` bits (bit `i` is bit `i % 64` of `words[i / 64]`, unused high bits zero)
    /// as header-and-data lines.
    static func write(words: UnsafeBufferPointer<UInt64>, count: Int, to writer: inout PayloadWriter) {
        writer.append(count)
        let lineCount = lineCount(for: count)
        var lines = [UInt64](repeating: 0, count: lineCount * wordsPerLine)
        var total = 0
        for line in 0..<lineCount {
            let base = line * wordsPerLine
            for word in 0..<7 {
                let source = line * 7 + word
                if source < words.count { lines[base + 1 + word] = words[source] }
            }
            lines[base] = header(before: total, data: { lines[base + 1 + $0] })
            for word in 0..<7 { total += lines[base + 1 + word].nonzeroBitCount }
        }
        lines.withUnsafeBufferPointer { writer.appendLines($0) }
    }
}

/// A growable bit set used while building; cleared bits by default.
struct BitBuilder {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    @inline(__always) mutating func set(_ i: Int) { words[i &>> 6] |= 1 &<< UInt64(i & 63) }
    @inline(__always) func get(_ i: Int) -> Bool { (words[i &>> 6] &>> UInt64(i & 63)) & 1 == 1 }
}
