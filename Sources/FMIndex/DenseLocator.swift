// A full suffix array kept in memory beside an FM-index, for corpora small enough to afford
// it: locate in O(1) per occurrence instead of up to `sampleRate` LF steps (Ferragina &
// Manzini 2000, Section 3.2, with every row "sampled"). It is rebuilt from the index itself
// by one LF walk through each document (the walk `document(_:)` does), so the index file
// stays compact; the cost is 8 bytes per token of memory and one O(n log sigma) pass.

/// Row -> (document, position) for every row of an FM-index.
///
/// ```swift
/// let locator = index.makeDenseLocator()
/// locator.locate(index.range(of: [6, 7]))   // same occurrences as index.locate([6, 7])
/// ```
public struct DenseLocator: Sendable {
    /// Document of each row (-1 for the separator rows).
    let documents: [Int32]
    /// Offset of each row's suffix in the reversed document.
    let reversedOffsets: [Int32]
    /// Length of each document.
    let lengths: [Int32]

    /// The tokens of every document in reading order, read during the same walk.
    public let documentTokens: [[Int]]

    /// The occurrences in `range`, in the same order and form as ``FMIndex/locate(_:limit:)-(MatchRange,_)``.
    public func locate(_ range: MatchRange, limit: Int = .max) -> [(document: Int, offset: Int)] {
        guard range.length > 0, !range.isEmpty, limit > 0 else { return [] }
        let end = range.upper - range.lower > limit ? range.lower + limit : range.upper
        var result: [(document: Int, offset: Int)] = []
        result.reserveCapacity(end - range.lower)
        for row in range.lower..<end {
            let document = Int(documents[row])
            result.append((document, Int(lengths[document]) - Int(reversedOffsets[row]) - range.length))
        }
        return result
    }
}

extension FMIndex {
    /// Builds the in-memory full suffix array (and every document's tokens) with one LF walk
    /// per document.
    public func makeDenseLocator() -> DenseLocator {
        var documents = [Int32](repeating: -1, count: rowCount)
        var reversedOffsets = [Int32](repeating: 0, count: rowCount)
        var lengths = [Int32](repeating: 0, count: documentCount)
        var tokens: [[Int]] = []
        tokens.reserveCapacity(documentCount)
        for document in 0..<documentCount {
            let length = documentLength(unchecked: document)
            lengths[document] = Int32(length)
            var text = [Int](repeating: 0, count: length)
            var row = Int(documentEndRows[document])
            for i in 0..<length {
                let (symbol, final) = wavelet.access(row)
                text[i] = symbol - 1
                row = Int(symbolOffsets[symbol]) + final
                // `row` now holds the suffix that starts at original token i (reversed offset length-1-i).
                documents[row] = Int32(document)
                reversedOffsets[row] = Int32(length - 1 - i)
            }
            tokens.append(text)
        }
        return DenseLocator(documents: documents, reversedOffsets: reversedOffsets, lengths: lengths, documentTokens: tokens)
    }
}
