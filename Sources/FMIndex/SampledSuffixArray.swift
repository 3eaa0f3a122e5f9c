// Suffix-array samples for locate.
//
// Source: Ferragina & Manzini, "Opportunistic data structures with applications" (FOCS
// 2000), Section 3.2: keep SA values only for some rows, mark those rows in a bit vector,
// and recover any other row's value by LF steps until a marked row, adding the step count.
//
// Samples are taken by *text* position, every `rate`-th token counted from each document's
// (reversed) start, so a walk needs fewer than `rate` steps and never steps over a document
// separator (LF across a separator is undefined here, since all separators share symbol 0).

/// Marked rows and their text positions, stored in row order.
struct SampledSuffixArray {
    let rate: Int
    let marks: RankBitVector
    let positions: UnsafeBufferPointer<Int32>

    /// The text position of `row` if it is sampled.
    @inline(__always) func position(ofRow row: Int) -> Int? {
        let (marked, rank) = marks.bitAndRank1(row)
        return marked ? Int(positions[rank]) : nil
    }

    static func read(from reader: inout PayloadReader, rate: Int, rowCount: Int) throws -> SampledSuffixArray {
        let marks = try RankBitVector.read(from: &reader, "suffix-array sample marks")
        let positions = try reader.int32s("suffix-array samples")
        guard marks.count == rowCount, marks.rank1(rowCount) == positions.count else {
            throw reader.malformed("\(positions.count) suffix-array samples for \(marks.count) rows "
                + "with \(marks.rank1(marks.count)) marks; expected \(rowCount) rows")
        }
        return SampledSuffixArray(rate: rate, marks: marks, positions: positions)
    }
}
