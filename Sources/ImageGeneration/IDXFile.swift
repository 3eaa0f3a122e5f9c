import Foundation

/// An IDX file (LeCun's MNIST format): a big-endian header `00 00 TT NN` (TT = 0x08 for
/// unsigned bytes, NN = number of dimensions), NN big-endian 32-bit sizes, then the data in
/// row-major order. Files may be gzip-compressed.
///
/// ```swift
/// let images = try IDXFile(contentsOf: URL(fileURLWithPath: "t10k-images-idx3-ubyte.gz"))
/// images.dimensions   // [10000, 28, 28]
/// ```
public struct IDXFile: Sendable, Equatable {
    /// Size of each dimension, outermost first.
    public let dimensions: [Int]
    /// The unsigned-byte payload, `dimensions.reduce(1, *)` bytes.
    public let bytes: [UInt8]

    /// Reads and parses a file (gzip detected by its magic bytes).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImageDataError.unreadableFile(path: url.path, detail: error.localizedDescription)
        }
        try self.init(data: data, name: url.path)
    }

    /// Parses IDX bytes (gzip-compressed or not).
    ///
    /// - Throws: ``ImageDataError/invalidIDX(path:detail:)`` naming the header field at fault,
    ///   or a payload size that does not match the header.
    public init(data: Data, name: String = "IDX data") throws {
        let raw = Gzip.isGzip(data) ? try Gzip.decompress(data, name: name) : data
        let bytes = [UInt8](raw)
        guard bytes.count >= 4 else {
            throw ImageDataError.invalidIDX(path: name, detail: "\(bytes.count) bytes is shorter than the 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw ImageDataError.invalidIDX(path: name, detail: String(format: "magic number starts with %02x %02x, expected 00 00", bytes[0], bytes[1]))
        }
        guard bytes[2] == 0x08 else {
            throw ImageDataError.invalidIDX(path: name, detail: String(format: "element type 0x%02x is not supported (only 0x08, unsigned byte)", bytes[2]))
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw ImageDataError.invalidIDX(path: name, detail: "zero dimensions in the magic number") }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw ImageDataError.invalidIDX(path: name, detail: "header needs \(headerSize) bytes for \(rank) dimensions, file has \(bytes.count)")
        }
        var dimensions: [Int] = []
        var expected = 1
        for axis in 0..<rank {
            let p = 4 + 4 * axis
            let size = Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            guard size > 0 else { throw ImageDataError.invalidIDX(path: name, detail: "dimension \(axis) has size 0") }
            dimensions.append(size)
            expected *= size
        }
        guard bytes.count - headerSize == expected else {
            throw ImageDataError.invalidIDX(path: name, detail: "dimensions \(dimensions) need \(expected) data bytes, found \(bytes.count - headerSize)")
        }
        self.dimensions = dimensions
        self.bytes = Array(bytes[headerSize...])
    }

    /// Serialises to uncompressed IDX bytes (for tests and tools).
    public static func encode(dimensions: [Int], bytes: [UInt8]) -> Data {
        var data = Data([0, 0, 0x08, UInt8(dimensions.count)])
        for size in dimensions {
            data.append(contentsOf: [UInt8(size >> 24 & 0xff), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)])
        }
        data.append(contentsOf: bytes)
        return data
    }
}
