import Foundation

/// Timing helpers: medians of repeated runs on a monotonic clock.
enum Measurement {
    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Median wall time of `body` over `repetitions` runs (after one warm-up run), repeating
    /// the body `inner` times per run so that short kernels are timed over at least ~20 ms.
    static func medianSeconds(repetitions: Int = 7, _ body: () throws -> Void) rethrows -> Double {
        try body()
        let start = now()
        try body()
        let once = max(now() - start, 1e-7)
        let inner = max(1, Int(0.02 / once))
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let begin = now()
            for _ in 0..<inner { try body() }
            samples.append((now() - begin) / Double(inner))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Peak resident set size of this process so far, in bytes (Linux `VmHWM`).
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    /// Current resident set size in bytes (Linux `VmRSS`).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }

    /// Prints `value` as pretty JSON to stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Writes to standard error (tables and progress; results go to stdout).
func report(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
