import Foundation
import ImageGeneration
import Rendering
import Testing

/// IDX (plain and gzip) parsing, bad headers, PNG folders.
struct DataLoadingTests {
    /// Magic 0x00000803, dimensions [2, 2, 2], then 8 pixel bytes.
    let plain = IDXFile.encode(dimensions: [2, 2, 2], bytes: [0, 255, 128, 1, 2, 3, 4, 5])
    /// The same file through `gzip.compress(raw, mtime=0)` (Python 3).
    let gzipped = Data([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x66, 0x60, 0x60, 0x60,
                        0x82, 0xe3, 0xff, 0x0d, 0x8c, 0x4c, 0xcc, 0x2c, 0xac, 0x00, 0xc8, 0x53, 0xa5, 0xf6, 0x18, 0x00, 0x00, 0x00])

    @Test func parsesPlainIDX() throws {
        let file = try IDXFile(data: plain)
        #expect(file.dimensions == [2, 2, 2])
        #expect(file.bytes == [0, 255, 128, 1, 2, 3, 4, 5])
    }

    @Test func parsesGzipIDX() throws {
        #expect(Gzip.isGzip(gzipped))
        #expect(try Gzip.decompress(gzipped) == plain)
        #expect(try IDXFile(data: gzipped) == IDXFile(data: plain))
    }

    @Test func truncatedGzipFails() {
        #expect(throws: ImageDataError.self) { try IDXFile(data: gzipped.prefix(20), name: "bad.gz") }
    }

    @Test(arguments: [
        (Data([0, 0, 8]), "shorter than the 4-byte magic"),
        (Data([1, 0, 8, 1, 0, 0, 0, 1, 7]), "expected 00 00"),
        (Data([0, 0, 0x0d, 1, 0, 0, 0, 1, 7]), "element type 0x0d"),
        (Data([0, 0, 8, 2, 0, 0, 0, 1]), "header needs 12 bytes"),
        (Data([0, 0, 8, 1, 0, 0, 0, 3, 7, 7]), "need 3 data bytes, found 2"),
        (Data([0, 0, 8, 1, 0, 0, 0, 0]), "dimension 0 has size 0"),
    ])
    func badHeadersNameTheProblem(data: Data, message: String) {
        do {
            _ = try IDXFile(data: data, name: "x.idx")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("x.idx"))
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func imagesAndLabelsMustAgree() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try plain.write(to: folder.appendingPathComponent("train-images-idx3-ubyte"))
        try gzipped.write(to: folder.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        try IDXFile.encode(dimensions: [2], bytes: [3, 1]).write(to: folder.appendingPathComponent("train-labels-idx1-ubyte"))
        try IDXFile.encode(dimensions: [3], bytes: [3, 1, 0]).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let train = try ImageDataset.load(folder, split: .train)
        #expect(train.count == 2 && train.width == 2 && train.height == 2 && train.labels == [3, 1])
        #expect(train.batch([0]).scalars == [0, 1, Float(128) / 255, Float(1) / 255])
        #expect(throws: ImageDataError.self) { try ImageDataset.load(folder, split: .test) }
    }

    @Test func readsPNGFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (label, value) in [("10", UInt8(200)), ("2", UInt8(50))] {
            let folder = root.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try RasterImage(width: 4, height: 4, channels: .gray, fill: [value]).writePNG(to: folder.appendingPathComponent("a.png"))
        }
        let data = try ImageDataset.pngFolder(root)
        #expect(data.classNames == ["2", "10"])
        #expect(data.labels == [0, 1])
        #expect(data.pixels[0] == 50 && data.pixels[16] == 200)

        try RasterImage(width: 5, height: 4, channels: .rgb, fill: [1, 2, 3]).writePNG(to: root.appendingPathComponent("2/b.png"))
        do {
            _ = try ImageDataset.pngFolder(root)
            Issue.record("expected a size error")
        } catch {
            #expect("\(error)".contains("b.png") && "\(error)".contains("5x4"), "\(error)")
        }
    }

    @Test func emptyFolderIsAnError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: ImageDataError.self) { try ImageDataset.pngFolder(root) }
    }
}
