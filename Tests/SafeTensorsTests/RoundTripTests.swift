import Foundation
import SafeTensors
import Testing

@Suite("Writer round trips")
struct RoundTripTests {
    @Test("F32 values come back bit for bit", arguments: [[Int](), [0, 3], [7], [3, 5], [2, 3, 4], [1, 1, 64, 64]])
    func float32(shape: [Int]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("f32.safetensors")
        let values = randomFloats(shape.reduce(1, *), seed: 7)
        var writer = try SafeTensorsWriter(path: path, metadata: ["format": "pt", "note": "quote \" and \\ and \n"])
        try writer.add("tensor", shape: shape, values: values)
        try writer.write()

        let file = try SafeTensorsFile(path: path)
        let info = try file.info("tensor")
        #expect(info.dtype == .f32)
        #expect(info.shape == shape)
        #expect(info.byteCount == 4 * values.count)
        #expect(try file.floats("tensor").map(\.bitPattern) == values.map(\.bitPattern))
        #expect(file.metadata["format"] == "pt")
        #expect(file.metadata["note"] == "quote \" and \\ and \n")
        #expect(file.metadata[CheckpointIntegrity.formatVersionKey] == "1")
        #expect(file.metadata[CheckpointIntegrity.checksumKey]?.hasPrefix("crc32:") == true)
    }

    @Test("F16 values come back rounded to nearest even")
    func float16() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("f16.safetensors")
        let special: [Float] = [0, -0.0, 1, -2.5, 65504, 65519, 65520, 1e-8, 0x1p-25, 0x1.8p-24, 1 + 0x1p-11, .infinity]
        let values = special + randomFloats(1000, seed: 3, scale: 4)
        var writer = try SafeTensorsWriter(path: path)
        try writer.add("halves", shape: [values.count], values: values, as: .f16)
        try writer.write()

        let decoded = try SafeTensorsFile(path: path).floats("halves")
        let expected = values.map { HalfPrecision.float(fromHalfBits: HalfPrecision.halfBits(from: $0)) }
        #expect(decoded.map(\.bitPattern) == expected.map(\.bitPattern))
        // Hand-checked roundings: 65520 overflows, 2^-25 ties to 0, 1.5 * 2^-24 ties to 2 * 2^-24.
        #expect(Array(decoded[5...9]) == [65504, .infinity, 0, 0, 0x1p-23])
        #expect(decoded[10] == 1)  // 1 + 2^-11 is halfway to the next half; ties to even 1.0
        #if !(os(macOS) && arch(x86_64))
        #expect(decoded.map(\.bitPattern) == values.map { Float(Float16($0)).bitPattern })
        #endif
    }

    @Test("BF16 written and read back")
    func bfloat16() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bf16.safetensors")
        let values = randomFloats(64, seed: 11)
        var writer = try SafeTensorsWriter(path: path)
        try writer.add("b", shape: [8, 8], values: values, as: .bf16)
        try writer.write()
        let decoded = try SafeTensorsFile(path: path).floats("b")
        #expect(decoded == values.map { HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(from: $0)) })
    }

    @Test("Layout is deterministic: larger dtypes first, then by name; header 8-byte aligned")
    func deterministicLayout() throws {
        let directory = try TemporaryDirectory()
        func build(_ path: String, order: [String]) throws -> [UInt8] {
            var writer = try SafeTensorsWriter(path: path, metadata: ["b": "2", "a": "1"])
            for name in order {
                try writer.add(name, shape: [3], values: [1, 2, 3], as: name.hasPrefix("h") ? .f16 : .f32)
            }
            try writer.write()
            return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let first = try build(directory.file("one.safetensors"), order: ["zeta", "h.alpha", "alpha"])
        let second = try build(directory.file("two.safetensors"), order: ["alpha", "zeta", "h.alpha"])
        #expect(first == second)
        let file = try SafeTensorsFile(path: directory.file("one.safetensors"))
        #expect(file.names == ["alpha", "zeta", "h.alpha"])
        let headerLength = first[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        #expect(first[8 + headerLength - 1] == UInt8(ascii: " ") || first[8 + headerLength - 1] == UInt8(ascii: "}"))
    }

    @Test("Buffer API: write from and read into caller memory")
    func buffers() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("buffers.safetensors")
        let values = randomFloats(12, seed: 5)
        var writer = try SafeTensorsWriter(path: path)
        try values.withUnsafeBufferPointer { try writer.add("w", shape: [3, 4], values: $0) }
        try writer.write()
        let file = try SafeTensorsFile(path: path)
        var destination = [Float](repeating: .nan, count: 12)
        try destination.withUnsafeMutableBufferPointer { try file.read("w", into: $0) }
        #expect(destination == values)
        var tooSmall = [Float](repeating: 0, count: 11)
        expectError(.bufferSizeMismatch, path: path, tensor: "w") {
            try tooSmall.withUnsafeMutableBufferPointer { try file.read("w", into: $0) }
        }
        let rawCount = try file.withRawBytes("w") { $0.count }
        #expect(rawCount == 48)
    }

    @Test("Atomic replace: the old file stays until the new one is complete; no temporary files remain")
    func atomicReplace() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        var first = try SafeTensorsWriter(path: path)
        try first.add("x", shape: [1], values: [1])
        try first.write()
        var second = try SafeTensorsWriter(path: path)
        try second.add("x", shape: [2], values: [2, 3])
        try second.write()
        #expect(try SafeTensorsFile(path: path).floats("x") == [2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])

        let unwritable = directory.file("missing-folder/model.safetensors")
        var misplaced = try SafeTensorsWriter(path: unwritable)
        try misplaced.add("x", shape: [1], values: [1])
        expectError(.writeFailed, path: unwritable) { try misplaced.write() }
    }

    @Test("Writer rejects bad tensors, naming the file and tensor")
    func writerValidation() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bad.safetensors")
        var writer = try SafeTensorsWriter(path: path)
        try writer.add("a", shape: [2], values: [1, 2])
        expectError(.invalidTensor, path: path, tensor: "a") { try writer.add("a", shape: [2], values: [1, 2]) }
        expectError(.invalidTensor, path: path, tensor: "b") { try writer.add("b", shape: [3], values: [1, 2]) }
        expectError(.invalidTensor, path: path, tensor: "c") { try writer.add("c", shape: [-1], values: []) }
        expectError(.invalidTensor, path: path, tensor: "d") { try writer.add("d", shape: [1], values: [1], as: .i32) }
        expectError(.invalidTensor, path: path, tensor: "__metadata__") { try writer.add("__metadata__", shape: [], values: [1]) }
        expectError(.invalidTensor, path: path) { _ = try SafeTensorsWriter(path: path, metadata: ["nexttoken.checksum": "x"]) }
    }

    @Test("CRC-32 matches zlib's check value")
    func crc32() {
        // python3 -c "import zlib; print(hex(zlib.crc32(b'123456789')), hex(zlib.crc32(bytes(range(256))*5)))"
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        let bytes = [UInt8]((0..<1280).map { UInt8($0 % 256) })
        var incremental = CRC32()
        bytes[..<13].withUnsafeBytes { incremental.update($0) }
        bytes[13...].withUnsafeBytes { incremental.update($0) }
        #expect(incremental.value == bytes.withUnsafeBytes { CRC32.checksum($0) })
        #expect(incremental.value == 0x1E7A_6D24)
    }
}
