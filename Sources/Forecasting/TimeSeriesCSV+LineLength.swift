import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TimeSeriesCSV {
    /// The longest line a CSV of numbers may have: 4 MiB is ~200,000 numeric columns.
    public static let maximumLineBytes = 4 << 20

    /// Rejects a file with an absurdly long line before it is decoded and split into
    /// characters: a 100 MB file without a newline (a binary or minified file passed by
    /// mistake) would otherwise take seconds per pass of grapheme-cluster splitting only to
    /// be refused as "0 data rows". One `memchr` pass over the bytes.
    ///
    /// - Throws: ``ForecastError/malformedCSV(path:line:detail:)`` naming the line.
    static func checkLineLengths(_ data: Data, path: String) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            var line = 1
            while start < bytes.count {
                let remaining = bytes.count - start
                let end: Int
                if let newline = memchr(base + start, 0x0A, remaining) {
                    end = base.distance(to: UnsafeRawPointer(newline))
                } else {
                    end = bytes.count
                }
                guard end - start <= maximumLineBytes else {
                    throw ForecastError.malformedCSV(
                        path: path, line: line,
                        detail: "the line is \(end - start) bytes long, over the \(maximumLineBytes >> 20) MiB limit for a line of a CSV of numbers")
                }
                start = end + 1
                line += 1
            }
        }
    }
}
