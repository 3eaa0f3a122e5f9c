// Source: the merge procedure of Hugging Face `tokenizers` (models/bpe/word.rs,
// `Word::merge_all`): repeatedly apply the lowest-rank merge present, leftmost first.

extension BytePairTokenizer {
    /// Words up to this many bytes use the quadratic scan, which beats a heap on short input.
    static let shortWordLength = 48

    /// Appends the ids of one pre-token word, using and filling the word cache.
    @inline(__always)
    func appendIDs(ofWord word: UnsafeBufferPointer<UInt8>, to ids: inout [Int]) {
        if word.count == 1 {
            ids.append(Int(byteTokenIDs[Int(word[0])]))
            return
        }
        guard word.count <= WordCache.maximumWordLength else {
            for id in mergedIDs(of: word) { ids.append(Int(id)) }
            return
        }
        let key = ByteString(word)
        if let cached = wordCache.ids(for: key) {
            for id in cached { ids.append(Int(id)) }
            return
        }
        let merged = mergedIDs(of: word)
        wordCache.store(merged, for: key)
        for id in merged { ids.append(Int(id)) }
    }

    /// Merges a word's bytes into token ids.
    func mergedIDs(of word: UnsafeBufferPointer<UInt8>) -> [Int32] {
        word.count <= Self.shortWordLength ? mergedIDsByScanning(word) : mergedIDsWithHeap(word)
    }

    /// O(n²) merging that keeps each adjacent pair's packed rank so only neighbours are looked up again.
    private func mergedIDsByScanning(_ word: UnsafeBufferPointer<UInt8>) -> [Int32] {
        var symbols = word.map { byteTokenIDs[Int($0)] }
        guard symbols.count > 1 else { return symbols }
        var pairMerges = (0..<(symbols.count - 1)).map { mergeTable.packedMerge(symbols[$0], symbols[$0 + 1]) }
        while true {
            var best = MergeTable.noMerge
            var bestIndex = -1
            // Strict `<` keeps the leftmost of equal ranks, as Hugging Face's heap order does.
            for (index, packed) in pairMerges.enumerated() where packed < best {
                best = packed
                bestIndex = index
            }
            guard bestIndex >= 0 else { return symbols }
            symbols[bestIndex] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: bestIndex + 1)
            pairMerges.remove(at: bestIndex)
            if bestIndex > 0 {
                pairMerges[bestIndex - 1] = mergeTable.packedMerge(symbols[bestIndex - 1], symbols[bestIndex])
            }
            if bestIndex < symbols.count - 1 {
                pairMerges[bestIndex] = mergeTable.packedMerge(symbols[bestIndex], symbols[bestIndex + 1])
            }
        }
    }

    /// O(n log n) merging for long words (base64 blobs, long runs of one character).
    ///
    /// Symbols form a linked list over their original positions; the heap holds
    /// `rank << 32 | position`, so it pops the lowest rank and, among equal ranks, the
    /// leftmost pair. Entries made stale by earlier merges are recognised and skipped.
    private func mergedIDsWithHeap(_ word: UnsafeBufferPointer<UInt8>) -> [Int32] {
        let count = word.count
        var symbols = word.map { byteTokenIDs[Int($0)] }
        var next = (0..<count).map { $0 + 1 < count ? $0 + 1 : -1 }
        var previous = (0..<count).map { $0 - 1 }
        var heap = MinHeap<UInt64>()
        func pushPair(at position: Int) {
            let following = next[position]
            guard following >= 0 else { return }
            let packed = mergeTable.packedMerge(symbols[position], symbols[following])
            guard packed != MergeTable.noMerge else { return }
            heap.push((packed & 0xFFFF_FFFF_0000_0000) | UInt64(position))
        }
        for position in 0..<(count - 1) { pushPair(at: position) }
        while let entry = heap.pop() {
            let position = Int(entry & 0xFFFF_FFFF)
            let rank = entry >> 32
            let following = next[position]
            guard symbols[position] >= 0, following >= 0 else { continue }
            let packed = mergeTable.packedMerge(symbols[position], symbols[following])
            // A different rank means the pair at this position changed since the entry was pushed.
            guard packed >> 32 == rank else { continue }
            symbols[position] = Int32(truncatingIfNeeded: packed & 0xFFFF_FFFF)
            symbols[following] = -1
            next[position] = next[following]
            if next[following] >= 0 { previous[next[following]] = position }
            if previous[position] >= 0 { pushPair(at: previous[position]) }
            pushPair(at: position)
        }
        return symbols.filter { $0 >= 0 }
    }
}
