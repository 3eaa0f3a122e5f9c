import Foundation
import NeuralNetworks
import Tensors

/// Passage embeddings of an index folder and exact cosine search over them (dense retrieval).
///
/// The embeddings come from a ``SentenceEncoder`` (all-MiniLM-L6-v2 in practice) and are stored
/// beside the FM-index as `DIR/dense.embeddings`, written by `retrieve index embed` or on the
/// first dense query. A passage is embedded as ``passageText(_:)``: its title, a full stop,
/// then its text.
///
/// File layout (format 1, little-endian):
/// ```
/// 8 bytes   "NTDENSE\0"
/// UInt32    format version (1)
/// UInt32    passage count N
/// UInt32    dimension D
/// UInt32    encoder-name length L
/// UInt64    XXH64 of everything after this field
/// L bytes   encoder name (UTF-8: the encoder folder's name)
/// D floats  the encoder's embedding of ``probeText`` (identifies the encoder)
/// N*D floats  unit-length passage embeddings, passage by passage (document order)
/// ```
///
/// ```swift
/// let encoder = try SentenceEncoder(directory: folder)
/// let dense = try DenseIndex.open(index: index, encoder: encoder)
/// let best = try dense.rank(encoder.embed(["Where did Super Bowl 50 take place?"]), limit: 10)[0]
/// ```
public struct DenseIndex: Sendable {
    /// The file's name inside an index folder.
    public static let fileName = "dense.embeddings"
    /// The layout version this build writes and reads.
    public static let formatVersion: UInt32 = 1
    /// The text whose embedding is stored to recognise the encoder that made the file.
    public static let probeText = "NextToken dense index probe: which encoder made these passage embeddings?"
    static let magic = Array("NTDENSE\0".utf8)
    static let headerSize = 8 + 4 * 4 + 8

    /// Passages.
    public let count: Int
    /// Embedding length.
    public let dimension: Int
    /// The name of the encoder folder that made the embeddings.
    public let encoderName: String
    /// That encoder's embedding of ``probeText``.
    public let probe: [Float]
    /// `[count, dimension]`, unit rows.
    public let vectors: Tensor

    /// Wraps embeddings (rows are scaled to unit length; a zero row stays zero).
    public init(vectors rows: [[Float]], probe: [Float], encoderName: String) throws {
        let dimension = probe.count
        guard dimension > 0, rows.allSatisfy({ $0.count == dimension }) else {
            throw RetrievalError.invalidSetting(field: "embeddings", reason: "every embedding must have the probe's length \(dimension)")
        }
        count = rows.count
        self.dimension = dimension
        self.encoderName = encoderName
        self.probe = probe
        vectors = Tensor(shape: [rows.count, dimension], values: rows.flatMap(Self.unit))
    }

    /// The text embedded for a passage: "title. text", or the text alone without a title.
    public static func passageText(_ passage: Passage) -> String {
        let title = passage.displayTitle
        return title.isEmpty ? passage.text : "\(title). \(passage.text)"
    }

    /// `vector` scaled to unit length (a zero vector stays zero).
    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0 else { return vector }
        return vector.map { Float(Double($0) / norm) }
    }

    /// Embeds `passages` with `encoder`, reporting progress every `chunk` passages.
    public static func build(passages: [Passage], encoder: SentenceEncoder, chunk: Int = 256,
                             progress: (String) -> Void = { _ in }) throws -> DenseIndex {
        var rows: [[Float]] = []
        rows.reserveCapacity(passages.count)
        let start = Date()
        for first in stride(from: 0, to: passages.count, by: chunk) {
            let slice = passages[first..<min(first + chunk, passages.count)]
            rows += try encoder.embed(slice.map(passageText))
            let elapsed = Date().timeIntervalSince(start)
            progress(String(format: "embedded %d/%d passages, %.1f passages/s", rows.count, passages.count, Double(rows.count) / max(elapsed, 1e-9)))
        }
        return try DenseIndex(vectors: rows, probe: try encoder.embed([probeText])[0], encoderName: encoder.directory.lastPathComponent)
    }

    /// The embeddings of `index`, made by `encoder`: read from the index folder, or, when the
    /// folder has none, computed and stored there (when the folder cannot be written, they
    /// are used without being stored, and `progress` says so).
    ///
    /// - Throws: ``RetrievalError/invalidIndex(path:reason:)`` naming the file when it is
    ///   damaged, of another format, of another passage count or made by another encoder.
    public static func open(index: RetrievalIndex, encoder: SentenceEncoder, progress: (String) -> Void = { _ in }) throws -> DenseIndex {
        let file = index.directory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: file.path) {
            let dense = try read(file)
            try dense.check(file: file, passageCount: index.passages.count, encoder: encoder)
            return dense
        }
        progress("\(file.path): no passage embeddings yet; embedding \(index.passages.count) passages with \(encoder.directory.path) (once)")
        let dense = try build(passages: index.passages, encoder: encoder, progress: progress)
        do { try dense.write(to: file) } catch {
            progress("\(error); the embeddings are used without being stored")
        }
        return dense
    }

    /// Checks that the file fits the index and was made by `encoder`.
    func check(file: URL, passageCount: Int, encoder: SentenceEncoder) throws {
        guard count == passageCount else {
            throw RetrievalError.invalidIndex(path: file.path, reason: "\(count) embeddings for \(passageCount) passages; remake it with `retrieve index embed`")
        }
        let current = Self.unit(try encoder.embed([Self.probeText])[0])
        let stored = Self.unit(probe)
        guard current.count == stored.count, zip(current, stored).allSatisfy({ abs($0 - $1) <= 1e-4 }) else {
            throw RetrievalError.invalidIndex(
                path: file.path,
                reason: "made by encoder '\(encoderName)' (dimension \(dimension)), not by \(encoder.directory.path); remake it with `retrieve index embed`")
        }
    }

    /// Cosine scores of unit-length (or any) query vectors against every passage, `[queries][passages]`.
    public func scores(_ queries: [[Float]]) throws -> [[Float]] {
        guard !queries.isEmpty else { return [] }
        guard queries.allSatisfy({ $0.count == dimension }) else {
            throw RetrievalError.invalidSetting(field: "query embedding", reason: "length must be \(dimension), the stored embeddings' dimension")
        }
        let matrix = Tensor(shape: [queries.count, dimension], values: queries.flatMap(Self.unit))
        let product = try matrix.matmul(try vectors.transposed(0, 1)).scalars
        return (0..<queries.count).map { Array(product[($0 * count)..<(($0 + 1) * count)]) }
    }

    /// The `limit` passages of highest cosine for each query vector, best first (ties: lower
    /// document first). Scores are cosines; `ngrams` are empty.
    public func rank(_ queries: [[Float]], limit: Int) throws -> [[ScoredDocument]] {
        try scores(queries).map { row in
            Self.top(row.indices.map { ($0, Double(row[$0])) }, limit: limit).map {
                ScoredDocument(document: $0.document, score: $0.score, ngrams: [])
            }
        }
    }

    /// The `limit` best of `scored` by score, ties by lower document.
    static func top(_ scored: [(document: Int, score: Double)], limit: Int) -> [(document: Int, score: Double)] {
        let better = { (a: (document: Int, score: Double), b: (document: Int, score: Double)) in
            a.score != b.score ? a.score > b.score : a.document < b.document
        }
        guard limit < scored.count else { return scored.sorted(by: better) }
        // A bounded selection: keep the best `limit` seen so far, sorted.
        var kept: [(document: Int, score: Double)] = []
        kept.reserveCapacity(limit + 1)
        for item in scored {
            if kept.count == limit, let last = kept.last, !better(item, last) { continue }
            let position = kept.firstIndex { better(item, $0) } ?? kept.count
            kept.insert(item, at: position)
            if kept.count > limit { kept.removeLast() }
        }
        return kept
    }
}
