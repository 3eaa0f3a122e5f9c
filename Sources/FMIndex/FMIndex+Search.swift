// Queries: backward search, forward extension, locate, document frequency.
//
// Sources: Ferragina & Manzini 2000, Section 3.1 (backward search), 3.2 (locate);
// Gagie, Navarro & Puglisi 2012, Section 3 (distinct symbols of a BWT range, used for the
// next-token sets of SEAL's constrained decoding, Bevilacqua et al. 2022, Section 3.2).
//
// Callers think in left-to-right token order. Row r of a range for n-gram g = g1..gk holds
// a suffix of T starting with gk..g1 (documents are stored reversed), so BWT[r] is the token
// that follows gk in the original document: the BWT symbols of the range are exactly the
// possible next tokens, and one backward step appends a token on the right.

extension FMIndex {
    /// The range of the empty n-gram: every row, so `extend(fullRange, with: t)` is the
    /// range of the unigram `[t]`.
    public var fullRange: MatchRange { MatchRange(lower: 0, upper: rowCount, length: 0) }

    /// Appends `token` on the right of the n-gram that `range` matches: one backward-search
    /// step, O(log sigma) rank operations.
    ///
    /// - Parameters:
    ///   - range: the range of an n-gram `g`.
    ///   - token: the next token id; an id the index has never seen gives an empty range.
    /// - Returns: the range of `g + [token]`.
    public func extend(_ range: MatchRange, with token: Int) -> MatchRange {
        let symbol = token &+ 1
        guard !range.isEmpty, range.lower >= 0, range.upper <= rowCount, token >= 0, symbol < alphabetSize else {
            return MatchRange(lower: 0, upper: 0, length: range.length + 1)
        }
        if range.lower == 0 && range.upper == rowCount {
            return MatchRange(lower: Int(symbolStarts[symbol]), upper: Int(symbolStarts[symbol + 1]),
                              length: range.length + 1)
        }
        let final = wavelet.finalRange(of: symbol, lower: range.lower, upper: range.upper)
        let offset = Int(symbolOffsets[symbol])
        return MatchRange(lower: offset + final.lower, upper: offset + final.upper, length: range.length + 1)
    }

    /// The range of `ngram` (tokens in reading order), found by extending ``fullRange`` one
    /// token at a time. Stops early once the range is empty.
    public func range(of ngram: [Int]) -> MatchRange {
        var range = fullRange
        for token in ngram {
            range = extend(range, with: token)
            if range.isEmpty { return MatchRange(lower: 0, upper: 0, length: ngram.count) }
        }
        return range
    }

    /// Number of occurrences of `ngram` in the corpus (overlapping occurrences count).
    ///
    /// ```swift
    /// index.count([6, 7])   // 2 for documents [[5, 6, 7], [6, 7, 8]]
    /// ```
    /// The empty n-gram matches all `tokenCount + documentCount` rows.
    public func count(_ ngram: [Int]) -> Int { range(of: ngram).count }

    /// The tokens that follow `range`'s n-gram somewhere, each with the count and range of
    /// the extended n-gram, in increasing token order.
    ///
    /// Runs in O(k log sigma) for k distinct next tokens, however many occurrences the range
    /// has. Occurrences at the end of a document have no next token and are not reported, so
    /// the counts sum to `range.count` minus those.
    public func nextTokens(after range: MatchRange) -> [TokenContinuation] {
        // A range not made by this index (MatchRange has a public init) could walk the ranks
        // outside the payload and overrun the buffer below: such a range has no continuations.
        guard !range.isEmpty, range.lower >= 0, range.upper <= rowCount else { return [] }
        // At most one continuation per row and per symbol: the buffer, allocated at that bound,
        // is written in place, with no growth and no intermediate list.
        let bound = min(range.count, alphabetSize)
        return [TokenContinuation](unsafeUninitializedCapacity: bound) { buffer, count in
            var sink = ContinuationSink(output: buffer.baseAddress!, capacity: bound, offsets: symbolOffsets.baseAddress!,
                                        length: range.length + 1)
            wavelet.distinctSymbols(lower: range.lower, upper: range.upper, into: &sink)
            count = sink.count
        }
    }

    /// Writes the continuations of the symbols reported by the wavelet matrix; symbol 0 (the
    /// document separator) is no token.
    struct ContinuationSink: DistinctSymbolSink {
        let output: UnsafeMutablePointer<TokenContinuation>
        let capacity: Int
        let offsets: UnsafePointer<Int32>
        let length: Int
        var count = 0

        @inline(__always) mutating func emit(symbol: Int, lower: Int, upper: Int) {
            guard symbol != 0 else { return }
            assert(count < capacity, "more distinct symbols than the range has rows")
            let offset = Int(offsets[symbol])
            (output + count).initialize(to: TokenContinuation(
                token: symbol &- 1, count: upper &- lower,
                range: MatchRange(lower: offset &+ lower, upper: offset &+ upper, length: length)))
            count &+= 1
        }
    }

    /// The tokens that follow `ngram` somewhere; see ``nextTokens(after:)-(MatchRange)``.
    public func nextTokens(after ngram: [Int]) -> [TokenContinuation] {
        nextTokens(after: range(of: ngram))
    }

    /// Where `ngram` occurs: document index and the offset of its first token in that
    /// document (original reading order).
    ///
    /// - Parameters:
    ///   - ngram: a non-empty n-gram; the empty n-gram locates nothing.
    ///   - limit: report at most this many occurrences (in suffix order, not text order).
    /// - Returns: occurrences, each found with fewer than ``sampleRate`` LF steps.
    public func locate(_ ngram: [Int], limit: Int = .max) -> [(document: Int, offset: Int)] {
        locate(range(of: ngram), limit: limit)
    }

    /// Locates the occurrences in `range`; see ``locate(_:limit:)-([Int],_)``.
    public func locate(_ range: MatchRange, limit: Int = .max) -> [(document: Int, offset: Int)] {
        guard range.length > 0, !range.isEmpty, range.lower >= 0, range.upper <= rowCount, limit > 0 else { return [] }
        let end = range.upper - range.lower > limit ? range.lower + limit : range.upper
        var result: [(document: Int, offset: Int)] = []
        result.reserveCapacity(end - range.lower)
        for row in range.lower..<end {
            let position = textPosition(ofRow: row)
            let document = FMIndexBuilder.document(containing: position, starts: documentStarts)
            let reversedOffset = position - Int(documentStarts[document])
            // Token gk sits at reversedOffset in rev(d), i.e. at length - 1 - reversedOffset in d.
            result.append((document, documentLength(unchecked: document) - reversedOffset - range.length))
        }
        return result
    }

    /// Number of distinct documents that contain `ngram`.
    ///
    /// Locates every occurrence, so it costs O(count x sampleRate x log sigma); use
    /// `locate(_:limit:)` with a limit when an estimate will do.
    public func documentFrequency(_ ngram: [Int]) -> Int {
        documentFrequency(range(of: ngram))
    }

    /// Number of distinct documents among the occurrences in `range`.
    public func documentFrequency(_ range: MatchRange) -> Int {
        var seen = Set<Int>()
        for occurrence in locate(range) { seen.insert(occurrence.document) }
        return seen.count
    }

    /// The text position (in T) of the suffix at `row`: LF steps to a sampled row.
    @inline(__always) func textPosition(ofRow start: Int) -> Int {
        var row = start
        var steps = 0
        while true {
            if let position = samples.position(ofRow: row) { return position + steps }
            // A valid index reaches a sample in fewer than `sampleRate` steps (samples are taken
            // every rate-th position of each document, the first at its start); an inconsistent
            // one could cycle forever. `validateSections` keeps rows in range but cannot afford
            // to walk every cycle, so the walk stops at `walkLimit` (found by fuzz-fmindex: a
            // crafted sample rate of 2.7e9 made locate spin).
            if steps > walkLimit { return 0 }
            let (symbol, final) = wavelet.access(row)
            row = Int(symbolOffsets[symbol]) + final
            steps += 1
        }
    }
}
