import Foundation
import SafeTensors
import Testing

/// A valid three-tensor file from the writer, and its header length, to cut and corrupt.
private func validFile(in directory: TemporaryDirectory) throws -> (bytes: [UInt8], headerLength: Int) {
    let path = directory.file("valid.safetensors")
    var writer = try SafeTensorsWriter(path: path)
    try writer.add("a", shape: [4], values: [1, 2, 3, 4])
    try writer.add("b", shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
    try writer.add("c", shape: [5], values: [1, 2, 3, 4, 5], as: .f16)
    try writer.write()
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    return (bytes, headerLength)
}

@Suite("Malformed files")
struct MalformedFileTests {
    /// Cut points, relative to the start (`header: false`) or to the data section, and what
    /// the reader must say. Data: a = 0..<16, b = 16..<40 (F32), c = 40..<50 (F16).
    static let cuts: [(cut: Int, fromData: Bool, kind: SafeTensorsError.Kind, tensor: String?)] = [
        (0, false, .fileTooSmall, nil),
        (5, false, .fileTooSmall, nil),
        (8, false, .headerTooLarge, nil),
        (40, false, .headerTooLarge, nil),
        (0, true, .truncatedData, "a"),  // header intact, no data: the first tensor is reported
        (20, true, .truncatedData, "b"),  // the first tensor past the cut
        (49, true, .truncatedData, "c"),
    ]

    @Test("Truncated files", arguments: 0..<cuts.count)
    func truncated(index: Int) throws {
        let directory = try TemporaryDirectory()
        let (bytes, headerLength) = try validFile(in: directory)
        let cut = Self.cuts[index]
        let end = cut.fromData ? 8 + headerLength + cut.cut : cut.cut
        let path = try directory.write(Array(bytes[..<end]), to: "cut.safetensors")
        expectError(cut.kind, path: path, tensor: cut.tensor) { _ = try SafeTensorsFile(path: path) }
    }

    @Test("Header length larger than the file, and absurdly large")
    func headerTooLarge() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(rawSafeTensors(header: "{}", declaredLength: 1000), to: "long.safetensors")
        expectError(.headerTooLarge, path: path) { _ = try SafeTensorsFile(path: path) }
        let hugePath = try directory.write(rawSafeTensors(header: "{}", declaredLength: .max), to: "huge.safetensors")
        expectError(.headerTooLarge, path: hugePath) { _ = try SafeTensorsFile(path: hugePath) }
    }

    /// Hand-built headers and the error each must produce (tensor nil: none at fault).
    static let badHeaders: [(header: String, kind: SafeTensorsError.Kind, tensor: String?)] = [
        ("{not json", .invalidHeader, nil),
        ("[1, 2, 3]", .invalidHeader, nil),
        ("\u{FF}\u{FE}", .invalidHeader, nil),
        (#"{"__metadata__": {"n": 1}}"#, .invalidHeader, nil),
        (#"{"w": {"dtype": "F32", "shape": [2]}}"#, .invalidHeader, "w"),
        (#"{"w": {"dtype": "F17", "shape": [2], "data_offsets": [0, 8]}}"#, .unknownDType, "w"),
        (#"{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}"#, .invalidShape, "w"),
        (#"{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}"#, .invalidShape, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8.5]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, "8"]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 100000000000000000000000]}}"#, .invalidOffsets, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4000]}}"#, .byteCountMismatch, "w"),
        (#"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, .byteCountMismatch, "w"),
        (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]}}"#, .truncatedData, "w"),
        (#"{"v": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#,
         .overlappingTensors, "w"),
        (#"{"__metadata__": {"nexttoken.format_version": "2"}}"#, .unsupportedFormat, nil),
        (#"{"__metadata__": {"nexttoken.checksum": "md5:abc"}}"#, .unsupportedFormat, nil),
    ]

    @Test("Bad headers give typed errors naming file and tensor", arguments: 0..<badHeaders.count)
    func badHeader(index: Int) throws {
        let directory = try TemporaryDirectory()
        let bad = Self.badHeaders[index]
        let path = try directory.write(rawSafeTensors(header: bad.header, data: [UInt8](repeating: 0, count: 16)),
                                       to: "bad.safetensors")
        expectError(bad.kind, path: path, tensor: bad.tensor) { _ = try SafeTensorsFile(path: path) }
    }

    @Test("A flipped data byte is a checksum mismatch; verification can be skipped")
    func checksumMismatch() throws {
        let directory = try TemporaryDirectory()
        var (bytes, headerLength) = try validFile(in: directory)
        bytes[8 + headerLength + 17] ^= 0x01
        let path = try directory.write(bytes, to: "flipped.safetensors")
        expectError(.checksumMismatch, path: path) { _ = try SafeTensorsFile(path: path) }
        let unchecked = try SafeTensorsFile(path: path, verifyChecksum: false)
        #expect(try unchecked.floats("a") == [1, 2, 3, 4])
    }

    @Test("Empty file, missing file, and a directory instead of a file")
    func notAFile() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write([], to: "empty.safetensors")
        expectError(.fileTooSmall, path: empty) { _ = try SafeTensorsFile(path: empty) }
        let missing = directory.file("missing.safetensors")
        expectError(.cannotOpen, path: missing) { _ = try SafeTensorsFile(path: missing) }
        expectError(.notARegularFile, path: directory.path) { _ = try SafeTensorsFile(path: directory.path) }
    }

    @Test("Other dtypes: F64, integers and BOOL convert; F8 refuses with a typed error")
    func otherDTypes() throws {
        let directory = try TemporaryDirectory()
        let data = littleEndianBytes([Double(1.5).bitPattern, Double(-1e300).bitPattern])  // F64: 0..<16
            + littleEndianBytes([Int64(-3), Int64(1) << 40])  // I64: 16..<32
            + littleEndianBytes([Int32(7), Int32(-8)])  // I32: 32..<40
            + littleEndianBytes([UInt16(0x3F80), UInt16(0xC040)])  // BF16: 40..<44
            + [1, 0, 0x38, 0]  // BOOL 44..<46, F8_E4M3 46..<48
        let header = """
            {"d": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]},
             "l": {"dtype": "I64", "shape": [2], "data_offsets": [16, 32]},
             "i": {"dtype": "I32", "shape": [2], "data_offsets": [32, 40]},
             "b": {"dtype": "BF16", "shape": [2], "data_offsets": [40, 44]},
             "m": {"dtype": "BOOL", "shape": [2], "data_offsets": [44, 46]},
             "e": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [46, 48]}}
            """
        let path = try directory.write(rawSafeTensors(header: header, data: data), to: "dtypes.safetensors")
        let file = try SafeTensorsFile(path: path)
        #expect(try file.floats("d") == [1.5, -.infinity])
        #expect(try file.floats("l") == [-3, 1_099_511_627_776])
        #expect(try file.integers("l") == [-3, 1 << 40])
        #expect(try file.integers("i") == [7, -8])
        #expect(try file.floats("b") == [1, -3])
        #expect(try file.floats("m") == [1, 0])
        #expect(try file.info("e").dtype == .f8E4M3)
        expectError(.unsupportedConversion, path: path, tensor: "e") { _ = try file.floats("e") }
        expectError(.unsupportedConversion, path: path, tensor: "b") { _ = try file.integers("b") }
        expectError(.tensorNotFound, path: path, tensor: "nope") { _ = try file.floats("nope") }
    }
}
