// Wavelet matrix over the BWT: rank, access and range-distinct enumeration.
//
// Source: F. Claude, G. Navarro, A. Ordóñez, "The wavelet matrix: An efficient wavelet tree
// for large alphabets", Information Systems 47 (2015), Sections 3-4. Level l holds one bit
// per position (bit l of the symbol, most significant first); positions are then stably
// partitioned, zeros first, before the next level. With `z[l]` zeros at level l, a position
// with bit 0 moves to rank0(i), one with bit 1 to z[l] + rank1(i).
//
// Why a wavelet matrix and not a pointer-based (or Huffman-shaped) wavelet tree: with token
// alphabets of 30k-50k symbols a tree has ~sigma nodes whose bit vectors and offsets cost
// memory and cache misses; the matrix has exactly ceil(log2 sigma) bit vectors of n bits and
// no per-node data. Measured on SQuAD whitespace word ids (fmbench: vocabulary 41,486, so
// 16 levels; H0 = 11.4 bits/token), a Huffman shape would save at most ~4.6 of the ~19.9
// bits/token of the whole index, but the plain matrix already landed at 2.49 bytes/token
// there (with the format-1 rank directory; the cache-line layout of format 2 adds about 1/7
// of the bits), under the 3.2 budget, keeps every backward step at a fixed 16 pairs of ranks with no
// code table, and builds in two linear passes per level.
//
// After the last level, all occurrences of symbol c sit in one block (ordered by original
// position), so `symbolOffsets[c] + finalPosition` is the LF mapping: FMIndex folds the C
// array and the block starts into one table.

/// Receives the symbols of ``WaveletMatrix/distinctSymbols(lower:upper:into:)-(_,_,Sink)``.
protocol DistinctSymbolSink {
    /// Symbol `symbol` occurs in the range; its occurrences land on `lower..<upper` after the last level.
    mutating func emit(symbol: Int, lower: Int, upper: Int)
}

/// A read-only wavelet matrix over symbols `0..<(1 << levelCount)`.
struct WaveletMatrix {
    let count: Int
    let levelCount: Int
    /// One bit vector per level, most significant bit first.
    let levels: [RankBitVector]
    /// Number of zeros at each level.
    let zeros: [Int]

    /// The symbol at `i` and where `i` lands after the last level.
    @inline(__always) func access(_ i: Int) -> (symbol: Int, finalPosition: Int) {
        levels.withUnsafeBufferPointer { levels in zeros.withUnsafeBufferPointer { zeros in
            let (symbol, position) = Self.walk(levels: levels.baseAddress!, zeros: zeros.baseAddress!, from: 0,
                                               to: levels.count, position: i, prefix: 0)
            return (symbol, position)
        } }
    }

    /// Follows one position from `level` down to `levelCount`, one rank per level, appending
    /// its bits to `prefix`: the symbol code and where the position lands.
    @inline(__always) static func walk(levels: UnsafePointer<RankBitVector>, zeros: UnsafePointer<Int>, from level: Int,
                                       to levelCount: Int, position: Int, prefix: Int) -> (prefix: Int, position: Int) {
        var position = position, prefix = prefix
        for level in level..<levelCount {
            let (bit, ones) = levels[level].bitAndRank1(position)
            if bit {
                position = zeros[level] &+ ones
                prefix = prefix &<< 1 | 1
            } else {
                position = position &- ones
                prefix = prefix &<< 1
            }
        }
        return (prefix, position)
    }

    /// Where the occurrences of `symbol` within `lower..<upper` land after the last level.
    /// The result's width is rank(symbol, upper) - rank(symbol, lower).
    @inline(__always) func finalRange(of symbol: Int, lower: Int, upper: Int) -> (lower: Int, upper: Int) {
        var low = lower, high = upper
        let levelCount = levelCount
        levels.withUnsafeBufferPointer { levels in zeros.withUnsafeBufferPointer { zeros in
        for level in 0..<levelCount {
            let (lowOnes, highOnes) = levels[level].rank1(low, high)
            if (symbol &>> (levelCount &- 1 &- level)) & 1 == 1 {
                low = zeros[level] &+ lowOnes
                high = zeros[level] &+ highOnes
            } else {
                low = low &- lowOnes
                high = high &- highOnes
            }
            if low == high { return }
        }
        } }
        return (low, high)
    }

    /// Every distinct symbol in `lower..<upper`, in increasing order, with its final range.
    ///
    /// Descends only into non-empty halves, so the cost is O(k log sigma) for k distinct
    /// symbols, independent of the range width (Gagie, Navarro & Puglisi, "New algorithms on
    /// wavelet trees and applications to information retrieval", TCS 2012, Section 3).
    func distinctSymbols(lower: Int, upper: Int, into result: inout [(symbol: Int, lower: Int, upper: Int)]) {
        var sink = ArraySink(result: result)
        result = []
        distinctSymbols(lower: lower, upper: upper, into: &sink)
        result = sink.result
    }

    /// ``distinctSymbols(lower:upper:into:)`` reporting each symbol to `sink`, in increasing order.
    @inline(__always) func distinctSymbols<Sink: DistinctSymbolSink>(lower: Int, upper: Int, into sink: inout Sink) {
        guard lower < upper else { return }
        // Raw level pointers keep the recursion free of array retains and bounds checks.
        levels.withUnsafeBufferPointer { levels in
            zeros.withUnsafeBufferPointer { zeros in
                Self.descend(levels: levels.baseAddress!, zeros: zeros.baseAddress!, levelCount: levelCount,
                             level: 0, lower: lower, upper: upper, prefix: 0, into: &sink)
            }
        }
    }

    /// Reports the symbols of the non-empty range `lower..<upper` at `level` whose codes start
    /// with `prefix`. One recursion per node with two children (the zero side); the one side,
    /// single-child nodes and single positions continue in the loop, and a single position
    /// walks down with one rank per level instead of two.
    private static func descend<Sink: DistinctSymbolSink>(
        levels: UnsafePointer<RankBitVector>, zeros: UnsafePointer<Int>, levelCount: Int,
        level: Int, lower: Int, upper: Int, prefix: Int, into sink: inout Sink
    ) {
        var level = level, lower = lower, upper = upper, prefix = prefix
        while true {
            if upper &- lower == 1 {
                let (symbol, position) = walk(levels: levels, zeros: zeros, from: level, to: levelCount, position: lower, prefix: prefix)
                sink.emit(symbol: symbol, lower: position, upper: position &+ 1)
                return
            }
            let (lowOnes, highOnes) = levels[level].rank1(lower, upper)
            let lowZeros = lower &- lowOnes, highZeros = upper &- highOnes
            let z = zeros[level]
            level &+= 1
            let hasZeros = highZeros > lowZeros, hasOnes = highOnes > lowOnes
            if level == levelCount {
                if hasZeros { sink.emit(symbol: prefix &<< 1, lower: lowZeros, upper: highZeros) }
                if hasOnes { sink.emit(symbol: prefix &<< 1 | 1, lower: z &+ lowOnes, upper: z &+ highOnes) }
                return
            }
            if hasOnes {
                if hasZeros {
                    descend(levels: levels, zeros: zeros, levelCount: levelCount, level: level,
                            lower: lowZeros, upper: highZeros, prefix: prefix &<< 1, into: &sink)
                }
                lower = z &+ lowOnes
                upper = z &+ highOnes
                prefix = prefix &<< 1 | 1
            } else {
                lower = lowZeros
                upper = highZeros
                prefix = prefix &<< 1
            }
        }
    }

    /// Collects the symbols in an array.
    struct ArraySink: DistinctSymbolSink {
        var result: [(symbol: Int, lower: Int, upper: Int)]
        @inline(__always) mutating func emit(symbol: Int, lower: Int, upper: Int) { result.append((symbol, lower, upper)) }
    }

    /// Where the first occurrence of each symbol lands after the last level, given per-symbol
    /// counts: blocks are ordered by the bit-reversed symbol code (the levels act as an
    /// LSD radix sort whose last key is the least significant bit).
    static func blockStarts(symbolCounts: [Int], levelCount: Int) -> [Int] {
        func reversed(_ symbol: Int) -> Int {
            var value = 0
            for bit in 0..<levelCount where (symbol >> bit) & 1 == 1 { value |= 1 << (levelCount - 1 - bit) }
            return value
        }
        let order = symbolCounts.indices.sorted { reversed($0) < reversed($1) }
        var starts = [Int](repeating: 0, count: symbolCounts.count)
        var sum = 0
        for symbol in order {
            starts[symbol] = sum
            sum += symbolCounts[symbol]
        }
        return starts
    }

    /// Builds the levels from `symbols` (overwritten as scratch) and writes them.
    static func write(symbols: UnsafeMutableBufferPointer<UInt32>, levelCount: Int, to writer: inout PayloadWriter) {
        let n = symbols.count
        writer.append(n)
        writer.append(levelCount)
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(n, 1))
        defer { scratch.deallocate() }
        var current = symbols.baseAddress!, next = scratch.baseAddress!
        var words = [UInt64](repeating: 0, count: (n + 63) / 64)
        for level in 0..<levelCount {
            let shift = UInt32(levelCount - 1 - level)
            var zeroCount = 0
            words.withUnsafeMutableBufferPointer { bits in
                for w in 0..<bits.count { bits[w] = 0 }
                for i in 0..<n {
                    let bit = (current[i] &>> shift) & 1
                    bits[i &>> 6] |= UInt64(bit) &<< UInt64(i & 63)
                    zeroCount &+= Int(bit ^ 1)
                }
            }
            // Stable partition: zeros keep their order at the front, ones after them.
            var zeroSlot = 0, oneSlot = zeroCount
            for i in 0..<n {
                let symbol = current[i]
                if (symbol &>> shift) & 1 == 0 {
                    next[zeroSlot] = symbol
                    zeroSlot &+= 1
                } else {
                    next[oneSlot] = symbol
                    oneSlot &+= 1
                }
            }
            swap(&current, &next)
            writer.append(zeroCount)
            words.withUnsafeBufferPointer { RankBitVector.write(words: $0, count: n, to: &writer) }
        }
    }

    /// Reads a matrix written by ``write(symbols:levelCount:to:)``.
    static func read(from reader: inout PayloadReader) throws -> WaveletMatrix {
        let count = try reader.integer("wavelet matrix length")
        let levelCount = try reader.integer("wavelet matrix level count")
        guard (1...32).contains(levelCount) else {
            throw reader.malformed("wavelet matrix has \(levelCount) levels; expected 1 to 32")
        }
        var levels: [RankBitVector] = []
        var zeros: [Int] = []
        for level in 0..<levelCount {
            let zeroCount = try reader.integer("zero count of wavelet level \(level)")
            let bits = try RankBitVector.read(from: &reader, "wavelet level \(level)")
            guard bits.count == count, zeroCount == count - bits.rank1(count) else {
                throw reader.malformed("wavelet level \(level) has \(bits.count) bits and records \(zeroCount) zeros; "
                    + "expected \(count) bits")
            }
            levels.append(bits)
            zeros.append(zeroCount)
        }
        return WaveletMatrix(count: count, levelCount: levelCount, levels: levels, zeros: zeros)
    }
}
