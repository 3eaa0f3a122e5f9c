// Structural checks of a loaded index, beyond its checksum.
//
// The checksum catches accidental damage, but a file can pass it and still be inconsistent
// (a buggy writer, or bytes crafted on purpose, as the fuzzer does). Queries run unchecked
// arithmetic over mapped memory, so every invariant they rely on to stay inside the payload is
// verified once here, in time linear in the bit vectors (the same bytes the checksum reads):
// - each rank line header equals the one recomputed from its bits (RankBitVector.read),
//   and each wavelet level's zero count matches its bits (WaveletMatrix.read), so positions
//   stay in 0..<rowCount through every level;
// - the symbols of the BWT are < alphabetSize, and the final block of each symbol, shifted by
//   its `symbolOffsets` entry, is exactly its `symbolStarts` range (the C array), so an LF
//   step lands on a valid row;
// - document starts rise from 0 by at least one (the separator), document end rows and
//   suffix-array samples are valid rows and positions.

extension FMIndex {
    func validateSections(path: String) throws {
        func malformed(_ reason: String) -> FMIndexError { .malformed(path: path, reason: reason) }
        guard symbolStarts[0] == 0 else { throw malformed("symbol starts do not begin at row 0") }
        for symbol in 0..<alphabetSize where symbolStarts[symbol + 1] < symbolStarts[symbol] {
            throw malformed("symbol starts decrease at symbol \(symbol)")
        }
        guard documentStarts[0] == 0 else { throw malformed("document starts do not begin at position 0") }
        for document in 0..<documentCount where documentStarts[document + 1] <= documentStarts[document] {
            throw malformed("document \(document) has no separator (starts \(documentStarts[document]) and \(documentStarts[document + 1]))")
        }
        for (document, row) in documentEndRows.enumerated() where !(0..<Int32(rowCount)).contains(row) {
            throw malformed("document \(document) ends at row \(row), outside 0..<\(rowCount)")
        }
        for (index, position) in samples.positions.enumerated() where !(0..<Int32(rowCount)).contains(position) {
            throw malformed("suffix-array sample \(index) is position \(position), outside 0..<\(rowCount)")
        }
        var blocks: [(symbol: Int, lower: Int, upper: Int)] = []
        wavelet.distinctSymbols(lower: 0, upper: rowCount, into: &blocks)
        for (symbol, lower, upper) in blocks {
            guard symbol < alphabetSize else {
                throw malformed("the BWT holds symbol \(symbol) but the alphabet has \(alphabetSize) symbols")
            }
            let start = Int(symbolStarts[symbol]), end = Int(symbolStarts[symbol + 1])
            guard upper - lower == end - start, Int(symbolOffsets[symbol]) + lower == start else {
                throw malformed("symbol \(symbol) occurs \(upper - lower) times in the BWT but its range is \(start)..<\(end)")
            }
        }
    }
}
