/// The BPE trainer's working state: the distinct words as symbol sequences, how often each
/// adjacent symbol pair occurs, and which words contain it.
///
/// Each merge updates only the words that contain the merged pair and adjusts the counts of
/// the pairs around each occurrence, instead of recounting the corpus (Hugging Face
/// `tokenizers`, models/bpe/trainer.rs). The heap may hold outdated counts; a popped entry
/// whose count no longer matches is pushed back with the current count.
struct PairStatistics {
    /// A heap entry ordered so the most frequent pair, then the smallest pair key, is on top.
    private struct Candidate: Comparable {
        var count: Int
        var pair: UInt64

        static func < (lhs: Candidate, rhs: Candidate) -> Bool {
            lhs.count != rhs.count ? lhs.count > rhs.count : lhs.pair < rhs.pair
        }
    }

    /// The bytes each symbol stands for: 0…255 are the bytes themselves, then merged symbols.
    private(set) var symbolBytes: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    private var words: [[Int32]] = []
    private var wordCounts: [Int] = []
    private var pairCounts: [UInt64: Int] = [:]
    private var pairWords: [UInt64: [Int32]] = [:]
    private var heap = MinHeap<Candidate>()

    init(words counts: [ByteString: Int]) {
        // Sorted so that training does not depend on dictionary iteration order.
        for (word, count) in counts.sorted(by: { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }) {
            let symbols = word.bytes.map { Int32($0) }
            let index = Int32(words.count)
            words.append(symbols)
            wordCounts.append(count)
            for position in symbols.indices.dropLast() {
                let pair = Self.key(symbols[position], symbols[position + 1])
                pairCounts[pair, default: 0] += count
                if pairWords[pair]?.last != index { pairWords[pair, default: []].append(index) }
            }
        }
        for (pair, count) in pairCounts { heap.push(Candidate(count: count, pair: pair)) }
    }

    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
    }

    /// Learns up to `count` merges, most frequent pair first.
    ///
    /// - Parameters:
    ///   - minimumFrequency: Stop when the best pair occurs fewer times.
    ///   - isAllowed: Whether a merge producing these bytes may be learned.
    /// - Returns: The merges as pairs of symbol ids; merge `k` creates symbol `256 + k`.
    mutating func learnMerges(
        count: Int, minimumFrequency: Int, isAllowed: ([UInt8]) -> Bool
    ) -> [(Int32, Int32)] {
        var merges: [(Int32, Int32)] = []
        while merges.count < count, let top = heap.pop() {
            let current = pairCounts[top.pair] ?? 0
            if current != top.count {
                if current > 0 { heap.push(Candidate(count: current, pair: top.pair)) }
                continue
            }
            guard current >= minimumFrequency else { break }
            let left = Int32(truncatingIfNeeded: top.pair >> 32)
            let right = Int32(truncatingIfNeeded: top.pair & 0xFFFF_FFFF)
            let bytes = symbolBytes[Int(left)] + symbolBytes[Int(right)]
            guard isAllowed(bytes) else {
                pairCounts[top.pair] = nil
                continue
            }
            let merged = Int32(symbolBytes.count)
            symbolBytes.append(bytes)
            merges.append((left, right))
            apply(pair: top.pair, left: left, right: right, merged: merged)
        }
        return merges
    }

    /// Replaces every occurrence of `left right` by `merged` and updates the pair counts.
    private mutating func apply(pair: UInt64, left: Int32, right: Int32, merged: Int32) {
        var deltas: [UInt64: Int] = [:]
        let affected = pairWords.removeValue(forKey: pair) ?? []
        for wordIndex in affected {
            let symbols = words[Int(wordIndex)]
            let weight = wordCounts[Int(wordIndex)]
            var output: [Int32] = []
            output.reserveCapacity(symbols.count)
            var position = 0
            var changed = false
            func record(_ key: UInt64, _ delta: Int) {
                deltas[key, default: 0] += delta * weight
                if delta > 0, pairWords[key]?.last != wordIndex { pairWords[key, default: []].append(wordIndex) }
            }
            while position < symbols.count {
                guard position + 1 < symbols.count, symbols[position] == left, symbols[position + 1] == right else {
                    output.append(symbols[position])
                    position += 1
                    continue
                }
                changed = true
                record(pair, -1)
                // The pair on the left now ends in the merged symbol (output.last already
                // reflects a merge just made, so "a b a b" counts correctly).
                if let previous = output.last {
                    record(Self.key(previous, left), -1)
                    record(Self.key(previous, merged), 1)
                }
                if position + 2 < symbols.count {
                    record(Self.key(right, symbols[position + 2]), -1)
                    record(Self.key(merged, symbols[position + 2]), 1)
                }
                output.append(merged)
                position += 2
            }
            if changed { words[Int(wordIndex)] = output }
        }
        for (key, delta) in deltas where delta != 0 {
            let updated = (pairCounts[key] ?? 0) + delta
            if updated > 0 {
                pairCounts[key] = updated
                if delta > 0 { heap.push(Candidate(count: updated, pair: key)) }
            } else {
                pairCounts[key] = nil
            }
        }
        pairCounts[pair] = nil
    }
}
