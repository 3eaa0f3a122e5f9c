import Foundation
import SafeTensors
import Testing

/// Paths of the reference fixtures: test file -> Tests -> Tests/Fixtures.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SafeTensorsTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    /// The path of a fixture, failing the test with the missing path when it is absent.
    static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = root.appendingPathComponent(relative).standardizedFileURL.path
        try #require(FileManager.default.fileExists(atPath: path),
                     "fixture missing: \(path) (Tests/Fixtures/make_fixtures.py regenerates the fixtures)",
                     sourceLocation: sourceLocation)
        return path
    }
}

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("safetensors-tests-XXXXXX").path).utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(created != nil, "mkdtemp failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Builds safetensors bytes by hand, for files the writer would refuse to produce.
///
/// - Parameters:
///   - header: The JSON header text (padded with spaces to a multiple of 8).
///   - data: The data section.
///   - declaredLength: Overrides the 8-byte length field.
func rawSafeTensors(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    var json = Array(header.utf8)
    json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
    var bytes = withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian, Array.init)
    bytes += json
    bytes += data
    return bytes
}

/// The little-endian bytes of `values`.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian, Array.init) }
}

/// Runs `body` and checks it throws a ``SafeTensorsError`` of `kind` that names `path`
/// (and `tensor`, when given) in its fields and its message.
func expectError(_ kind: SafeTensorsError.Kind, path: String, tensor: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a .\(kind) error, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SafeTensorsError {
        #expect(error.kind == kind, "got: \(error)", sourceLocation: sourceLocation)
        #expect(error.path == path, "got: \(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(path), "message lacks the path: \(error)", sourceLocation: sourceLocation)
        if let tensor {
            #expect(error.tensor == tensor, "got: \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains("'\(tensor)'"), "message lacks the tensor: \(error)", sourceLocation: sourceLocation)
        }
        #expect(!error.description.contains("\n"), "message spans lines: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected SafeTensorsError.\(kind), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}

/// SplitMix64: a tiny seedable generator so test data is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `count` normally-ish distributed Floats (sum of uniforms) times `scale`.
func randomFloats(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        (Float.random(in: -1...1, using: &generator) + Float.random(in: -1...1, using: &generator)) * scale
    }
}
