import Foundation

// An FM-index over a corpus of token-id documents, for SEAL-style n-gram retrieval.
//
// Sources: P. Ferragina, G. Manzini, "Opportunistic data structures with applications",
// FOCS 2000 (count by backward search, locate by sampled SA + LF); M. Bevilacqua et al.,
// "Autoregressive Search Engines: Generating Substrings as Document Identifiers", NeurIPS
// 2022, Section 3.2 (index the corpus so that the FM-index answers "which tokens may follow
// this n-gram" during constrained decoding).
//
// Text layout: T = rev(d0) # rev(d1) # ... rev(dD-1) #, where # is symbol 0 and token t is
// symbol t + 1. Each document is reversed, as in SEAL, so one backward-search step appends
// a token on the *right* of the caller's n-gram; no pattern contains #, so no match crosses
// a document. Rows are the suffixes of T in sorted order (the sentinel suffix is dropped).

/// A compressed full-text index over token-id documents.
///
/// Build it from documents, query it in ordinary left-to-right token order, save it, and
/// map it back without copying:
/// ```swift
/// let index = try FMIndex(documents: [[5, 6, 7], [6, 7, 8]])
/// index.count([6, 7])                        // 2
/// index.locate([7, 8])                       // [(document: 1, offset: 1)]
/// index.nextTokens(after: [6]).map(\.token)  // [7]
/// try index.write(to: "/tmp/corpus.fmi")
/// let loaded = try FMIndex(contentsOf: "/tmp/corpus.fmi")
/// ```
/// Instances are immutable and safe to share across threads.
public final class FMIndex: @unchecked Sendable {
    // @unchecked: all stored state is immutable after init; the pointers point into
    // `storage`, which this object keeps alive.

    /// The largest token id an index accepts (2^24 - 3): bucket arrays during construction
    /// are sized by the largest id, so ids should be dense, as tokenizer vocabularies are.
    public static let maximumTokenID = (1 << 24) - 3

    /// Number of tokens in all documents (separators not counted).
    public let tokenCount: Int
    /// Number of documents.
    public let documentCount: Int
    /// Every `sampleRate`-th token of each document has its position stored; locate takes
    /// fewer than `sampleRate` LF steps per occurrence.
    public let sampleRate: Int

    /// Rows = tokens + one separator per document.
    let rowCount: Int
    /// Symbols are 0 (separator) and token + 1.
    let alphabetSize: Int
    let storage: IndexStorage
    let wavelet: WaveletMatrix
    /// LF(i) for symbol c = symbolOffsets[c] + (final wavelet position of i).
    let symbolOffsets: UnsafeBufferPointer<Int32>
    /// The C array: rows before the first suffix starting with each symbol, plus rowCount.
    /// Extending the full range needs no rank at all: [C[c], C[c + 1]).
    let symbolStarts: UnsafeBufferPointer<Int32>
    /// Start of rev(d) in T, plus a final entry rowCount.
    let documentStarts: UnsafeBufferPointer<Int32>
    /// The row of the separator suffix that follows rev(d): LF walks from it spell d forwards.
    let documentEndRows: UnsafeBufferPointer<Int32>
    let samples: SampledSuffixArray
    /// The most LF steps a locate walk takes before giving up: a valid index reaches a sample
    /// within `sampleRate` steps and within its longest document (plus separator), so a crafted
    /// file with a huge sample rate and an LF cycle cannot make locate spin.
    let walkLimit: Int

    /// Builds an index over `documents`.
    ///
    /// - Parameters:
    ///   - documents: token ids per document, in reading order; empty documents are allowed.
    ///   - sampleRate: keep every `sampleRate`-th text position for locate (default 32):
    ///     larger is smaller and slower to locate.
    /// - Throws: ``FMIndexError/emptyCorpus``, ``FMIndexError/invalidSampleRate(_:)``,
    ///   ``FMIndexError/tokenOutOfRange(document:position:token:)``,
    ///   ``FMIndexError/corpusTooLarge(positions:)``.
    public convenience init(documents: [[Int]], sampleRate: Int = 32) throws {
        let storage = try FMIndexBuilder.build(documents: documents, sampleRate: sampleRate)
        try self.init(storage: storage, path: "<index built in memory>")
    }

    /// Maps an index file written by ``write(to:)``; the big arrays stay in the mapping.
    ///
    /// - Parameter path: the index file.
    /// - Throws: ``FMIndexError/notAnIndexFile(path:)``, ``FMIndexError/unsupportedVersion(path:found:supported:)``,
    ///   ``FMIndexError/truncated(path:expectedBytes:actualBytes:)``,
    ///   ``FMIndexError/checksumMismatch(path:stored:computed:)``, ``FMIndexError/malformed(path:reason:)``,
    ///   or ``FMIndexError/io(path:operation:message:)``.
    public convenience init(contentsOf path: String) throws {
        try self.init(storage: IndexFile.map(path), path: path)
    }

    /// Maps an index file; see ``init(contentsOf:)-(String)``.
    public convenience init(contentsOf url: URL) throws {
        try self.init(contentsOf: url.path)
    }

    /// Writes the index atomically (temporary file, fsync, rename, fsync the folder) to `path`.
    /// - Throws: ``FMIndexError/io(path:operation:message:)``.
    public func write(to path: String) throws {
        try IndexFile.write(storage, to: path)
    }

    /// Writes the index atomically to `url`; see ``write(to:)-(String)``.
    public func write(to url: URL) throws {
        try write(to: url.path)
    }

    /// Size of the index payload in bytes (the file adds a 32-byte header).
    public var sizeInBytes: Int { storage.payloadByteCount }

    init(storage: IndexStorage, path: String) throws {
        var reader = PayloadReader(storage: storage, path: path)
        tokenCount = try reader.integer("token count")
        rowCount = try reader.integer("row count")
        documentCount = try reader.integer("document count")
        alphabetSize = try reader.integer("alphabet size")
        sampleRate = try reader.integer("sample rate")
        guard rowCount == tokenCount + documentCount, documentCount >= 1, sampleRate >= 1,
              alphabetSize >= 1, rowCount < Int(Int32.max) else {
            throw reader.malformed("inconsistent counts: \(tokenCount) tokens, \(rowCount) rows, "
                + "\(documentCount) documents, sample rate \(sampleRate)")
        }
        symbolOffsets = try reader.int32s("symbol offsets")
        symbolStarts = try reader.int32s("symbol starts")
        documentStarts = try reader.int32s("document starts")
        documentEndRows = try reader.int32s("document end rows")
        guard symbolOffsets.count == alphabetSize, symbolStarts.count == alphabetSize + 1,
              symbolStarts.last == Int32(rowCount), documentStarts.count == documentCount + 1,
              documentEndRows.count == documentCount, documentStarts.last == Int32(rowCount) else {
            throw reader.malformed("section sizes do not match \(alphabetSize) symbols and \(documentCount) documents")
        }
        samples = try SampledSuffixArray.read(from: &reader, rate: sampleRate, rowCount: rowCount)
        wavelet = try WaveletMatrix.read(from: &reader)
        guard wavelet.count == rowCount, alphabetSize <= 1 << wavelet.levelCount else {
            throw reader.malformed("wavelet matrix covers \(wavelet.count) rows and \(1 << wavelet.levelCount) "
                + "symbols; expected \(rowCount) rows and \(alphabetSize) symbols")
        }
        try reader.expectEnd()
        var longest = 1
        for document in 0..<documentCount {
            longest = max(longest, Int(documentStarts[document + 1]) - Int(documentStarts[document]))
        }
        walkLimit = min(sampleRate, longest, rowCount)
        self.storage = storage
        try validateSections(path: path)
    }
}
