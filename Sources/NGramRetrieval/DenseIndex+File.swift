import FileIO
import FMIndex
import Foundation
import Tensors

/// Reading and writing `dense.embeddings` (layout in ``DenseIndex``).
extension DenseIndex {
    /// The file's bytes.
    func encoded() -> Data {
        var body = Data()
        let name = Array(encoderName.utf8)
        body.append(contentsOf: name)
        probe.withUnsafeBytes { body.append(contentsOf: $0) }
        vectors.contiguous().scalars.withUnsafeBytes { body.append(contentsOf: $0) }
        var data = Data(Self.magic)
        for value in [Self.formatVersion, UInt32(count), UInt32(dimension), UInt32(name.count)] {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        let checksum = body.withUnsafeBytes { XXHash64.hash($0) }
        withUnsafeBytes(of: checksum.littleEndian) { data.append(contentsOf: $0) }
        data.append(body)
        return data
    }

    /// Writes the file atomically.
    ///
    /// - Throws: ``RetrievalError/fileAccess(path:reason:)``.
    public func write(to url: URL) throws {
        do { try AtomicWrite.data(encoded(), to: url) } catch let error as FileIOError {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot write the passage embeddings (\(error.reason))")
        }
    }

    /// Reads and verifies a file written by ``write(to:)``.
    ///
    /// - Throws: ``RetrievalError/invalidIndex(path:reason:)`` naming `url` for a short,
    ///   foreign, other-version or damaged (checksum) file.
    public static func read(_ url: URL) throws -> DenseIndex {
        let fail = { (reason: String) in RetrievalError.invalidIndex(path: url.path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw fail("cannot read the passage embeddings") }
        guard data.count >= headerSize, Array(data.prefix(8)) == magic else {
            throw fail("not a passage-embeddings file (no NTDENSE header); remake it with `retrieve index embed`")
        }
        func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }
        let version = integer(8, UInt32.self)
        guard version == formatVersion else {
            throw fail("embeddings format version \(version); this build reads \(formatVersion) (remake it with `retrieve index embed`)")
        }
        let (count, dimension, nameLength) = (Int(integer(12, UInt32.self)), Int(integer(16, UInt32.self)), Int(integer(20, UInt32.self)))
        let expected = headerSize + nameLength + (count + 1) * dimension * 4
        guard dimension > 0, data.count == expected else {
            throw fail("\(data.count) bytes where the header (\(count) passages of dimension \(dimension)) needs \(expected); the file is truncated or damaged")
        }
        let stored = integer(headerSize - 8, UInt64.self)
        let actual = data.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        guard stored == actual else { throw fail("checksum mismatch: the passage embeddings are damaged; remake them with `retrieve index embed`") }
        let name = String(decoding: data[headerSize..<(headerSize + nameLength)], as: UTF8.self)
        let floats: [Float] = data.withUnsafeBytes { raw in
            let start = headerSize + nameLength
            return (0..<((count + 1) * dimension)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self))) }
        }
        let probe = Array(floats[..<dimension])
        return DenseIndex(count: count, dimension: dimension, encoderName: name, probe: probe,
                          vectors: Tensor(shape: [count, dimension], values: Array(floats[dimension...])))
    }

    /// Wraps stored rows as they are (already unit length).
    init(count: Int, dimension: Int, encoderName: String, probe: [Float], vectors: Tensor) {
        self.count = count
        self.dimension = dimension
        self.encoderName = encoderName
        self.probe = probe
        self.vectors = vectors
    }
}
