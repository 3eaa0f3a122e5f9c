// Construction of an FM-index payload: text layout, SA-IS, BWT, samples, wavelet matrix.
//
// Sources: M. Burrows, D. Wheeler, "A block-sorting lossless data compression algorithm"
// (SRC report 124, 1994): BWT[i] = T[SA[i] - 1]; Nong, Zhang & Chan 2009 for the suffix
// array (SuffixArray.swift); Claude, Navarro & Ordóñez 2015 for the wavelet matrix.
//
// Peak memory is about 4 bytes x n for each of: text, suffix array, BWT and the wavelet
// scratch, freed as soon as each stage is done.

/// Builds the payload that `FMIndex.init(storage:path:)` parses.
enum FMIndexBuilder {
    static func build(documents: [[Int]], sampleRate: Int) throws -> IndexStorage {
        guard !documents.isEmpty else { throw FMIndexError.emptyCorpus }
        guard sampleRate >= 1 else { throw FMIndexError.invalidSampleRate(sampleRate) }
        var tokenCount = 0
        var largestToken = -1
        for (d, document) in documents.enumerated() {
            for (position, token) in document.enumerated() {
                guard token >= 0, token <= FMIndex.maximumTokenID else {
                    throw FMIndexError.tokenOutOfRange(document: d, position: position, token: token)
                }
                largestToken = max(largestToken, token)
            }
            tokenCount += document.count
        }
        let rowCount = tokenCount + documents.count
        guard rowCount < Int(Int32.max) - 2 else { throw FMIndexError.corpusTooLarge(positions: rowCount) }
        let alphabetSize = largestToken + 2  // separator 0, token t -> t + 1
        let levelCount = max(1, Int.bitWidth - (alphabetSize - 1).leadingZeroBitCount)

        // SA-IS text: sentinel 0, separator 1, token t -> t + 2 (the index symbol plus one).
        let text = UnsafeMutableBufferPointer<Int32>.allocate(capacity: rowCount + 1)
        defer { text.deallocate() }
        var documentStarts = [Int32](repeating: 0, count: documents.count + 1)
        var sampled = BitBuilder(count: rowCount)
        var position = 0
        for (d, document) in documents.enumerated() {
            documentStarts[d] = Int32(position)
            for token in document.reversed() {
                text[position] = Int32(token + 2)
                position += 1
            }
            text[position] = 1
            position += 1
            for offset in stride(from: 0, to: document.count, by: sampleRate) {
                sampled.set(Int(documentStarts[d]) + offset)
            }
        }
        documentStarts[documents.count] = Int32(rowCount)
        text[rowCount] = 0

        let suffixArray = UnsafeMutableBufferPointer<Int32>.allocate(capacity: rowCount + 1)
        defer { suffixArray.deallocate() }
        SuffixArray.induceSort(text: UnsafePointer(text.baseAddress!), suffixArray: suffixArray.baseAddress!,
                               count: rowCount + 1, alphabetSize: alphabetSize + 1)

        // One pass over the rows: BWT symbol, sample marks and values, document end rows.
        let bwt = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(rowCount, 1))
        defer { bwt.deallocate() }
        var marks = BitBuilder(count: rowCount)
        var samplePositions: [Int32] = []
        samplePositions.reserveCapacity(rowCount / sampleRate + documents.count)
        var documentEndRows = [Int32](repeating: 0, count: documents.count)
        var symbolCounts = [Int](repeating: 0, count: alphabetSize)
        var separatorsSeen = 0
        for row in 0..<rowCount {
            let start = Int(suffixArray[row + 1])  // row 0 of the SA is the sentinel suffix
            // The suffix at 0 is preceded (cyclically) by the final separator.
            let symbol = start == 0 ? 0 : Int(text[start - 1]) - 1
            bwt[row] = UInt32(symbol)
            symbolCounts[symbol] += 1
            if sampled.get(start) {
                marks.set(row)
                samplePositions.append(Int32(start))
            }
            if text[start] == 1 {
                // Separator suffixes; find the document by binary search (only D of them).
                documentEndRows[document(containing: start, starts: documentStarts)] = Int32(row)
                separatorsSeen += 1
            }
        }
        assert(separatorsSeen == documents.count, "every document has exactly one separator")

        // LF(i) = C[c] + rank(c, i) = C[c] - blockStart[c] + finalPosition(i).
        let blockStarts = WaveletMatrix.blockStarts(symbolCounts: symbolCounts, levelCount: levelCount)
        var symbolOffsets = [Int32](repeating: 0, count: alphabetSize)
        var symbolStarts = [Int32](repeating: 0, count: alphabetSize + 1)  // the C array
        var smaller = 0
        for symbol in 0..<alphabetSize {
            symbolOffsets[symbol] = Int32(smaller - blockStarts[symbol])
            symbolStarts[symbol] = Int32(smaller)
            smaller += symbolCounts[symbol]
        }
        symbolStarts[alphabetSize] = Int32(smaller)

        // The exact payload, so the writer never regrows (and copies) near the end: the rank bit
        // vectors (the sample marks and one per level: cache lines plus header words and padding),
        // then the int32 sections (symbol offsets and starts, document starts and end rows, samples).
        let bitVectorBytes = (RankBitVector.lineCount(for: rowCount) * RankBitVector.wordsPerLine + 10) * 8
        let int32Bytes = (2 * alphabetSize + 1 + 2 * documents.count + 1 + samplePositions.count + 10) * 4
        var writer = PayloadWriter(reservingBytes: (levelCount + 1) * bitVectorBytes + int32Bytes + 1024)
        for value in [tokenCount, rowCount, documents.count, alphabetSize, sampleRate] { writer.append(value) }
        symbolOffsets.withUnsafeBufferPointer { writer.append(int32s: $0) }
        symbolStarts.withUnsafeBufferPointer { writer.append(int32s: $0) }
        documentStarts.withUnsafeBufferPointer { writer.append(int32s: $0) }
        documentEndRows.withUnsafeBufferPointer { writer.append(int32s: $0) }
        marks.words.withUnsafeBufferPointer { RankBitVector.write(words: $0, count: rowCount, to: &writer) }
        samplePositions.withUnsafeBufferPointer { writer.append(int32s: $0) }
        WaveletMatrix.write(symbols: UnsafeMutableBufferPointer(rebasing: bwt[0..<rowCount]),
                            levelCount: levelCount, to: &writer)
        return IndexStorage(words: writer.words)
    }

    /// The document whose span in T (its reversed tokens and separator) contains `position`.
    static func document(containing position: Int, starts: UnsafeBufferPointer<Int32>) -> Int {
        var low = 0, high = starts.count - 1  // invariant: starts[low] <= position < starts[high]
        while high - low > 1 {
            let middle = (low + high) / 2
            if Int(starts[middle]) <= position { low = middle } else { high = middle }
        }
        return low
    }

    static func document(containing position: Int, starts: [Int32]) -> Int {
        starts.withUnsafeBufferPointer { document(containing: position, starts: $0) }
    }
}
