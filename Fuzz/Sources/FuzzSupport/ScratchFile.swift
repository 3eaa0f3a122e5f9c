import Foundation

/// Scratch files for parsers whose public entry point takes a path: each fuzz input is
/// written to one fixed file per process (in `$FUZZ_SCRATCH`, else the system temporary
/// folder), so a run of millions of inputs leaves one small folder behind, not millions.
public enum ScratchFile {
    /// The per-process scratch folder, created on first use.
    public static let directory: URL = {
        let base = ProcessInfo.processInfo.environment["FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("nexttoken-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `bytes` to `name` inside ``directory`` (replacing it) and returns its URL.
    public static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        let data = bytes.isEmpty ? Data() : Data(bytes)
        do { try data.write(to: url) } catch { fatalError("fuzz harness: cannot write \(url.path): \(error)") }
        return url
    }

    /// Writes `data` to `name` inside ``directory`` (replacing it) and returns its URL.
    public static func write(_ data: Data, name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        do { try data.write(to: url) } catch { fatalError("fuzz harness: cannot write \(url.path): \(error)") }
        return url
    }
}

/// The fuzz input as a buffer (libFuzzer passes a null pointer for the empty input).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: size == 0 ? nil : data, count: size)
}
