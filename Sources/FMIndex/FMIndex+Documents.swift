// Per-document facts and document extraction from the BWT alone.
//
// Source: Ferragina & Manzini 2000, Section 3 (LF mapping). Because documents are stored
// reversed, walking LF backwards from the separator that ends rev(d) reads d in its
// original order: BWT[row] is the token before the row's suffix in T, i.e. the next token
// of d. So the index needs no separate copy of the corpus.

extension FMIndex {
    /// Number of tokens in document `document`.
    /// - Throws: ``FMIndexError/documentOutOfRange(document:documentCount:)``.
    public func documentLength(_ document: Int) throws -> Int {
        try checkDocument(document)
        return documentLength(unchecked: document)
    }

    /// Token counts of all documents, in document order.
    public var documentLengths: [Int] { (0..<documentCount).map { documentLength(unchecked: $0) } }

    /// The tokens of document `document`, in reading order, recovered from the index with
    /// one LF step (O(log sigma)) per token.
    ///
    /// ```swift
    /// let tokens = try index.document(0)   // [5, 6, 7]
    /// ```
    /// - Throws: ``FMIndexError/documentOutOfRange(document:documentCount:)``.
    public func document(_ document: Int) throws -> [Int] {
        try checkDocument(document)
        let length = documentLength(unchecked: document)
        var tokens = [Int](repeating: 0, count: length)
        var row = Int(documentEndRows[document])
        for i in 0..<length {
            let (symbol, final) = wavelet.access(row)
            tokens[i] = symbol - 1
            row = Int(symbolOffsets[symbol]) + final
        }
        return tokens
    }

    func documentLength(unchecked document: Int) -> Int {
        Int(documentStarts[document + 1]) - Int(documentStarts[document]) - 1
    }

    private func checkDocument(_ document: Int) throws {
        guard (0..<documentCount).contains(document) else {
            throw FMIndexError.documentOutOfRange(document: document, documentCount: documentCount)
        }
    }
}
