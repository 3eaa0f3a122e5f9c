internal import CZlib
import Foundation

/// gzip (RFC 1952) and zlib (RFC 1950) decompression through zlib: the only user of `CZlib`.
public enum Gzip {
    /// True when `data` starts with the gzip magic bytes `1f 8b`.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Inflates a gzip (or zlib) stream, concatenated members included.
    ///
    /// - Parameter name: the file name for error messages.
    /// - Throws: ``ImageDataError/invalidGzip(path:detail:)`` for a damaged or truncated stream.
    public static func decompress(_ data: Data, name: String = "gzip data") throws -> Data {
        var stream = z_stream()
        // 15 + 32: the largest window, and detect gzip or zlib headers automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ImageDataError.invalidGzip(path: name, detail: "zlib did not initialise")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: UInt8.self).baseAddress else {
                throw ImageDataError.invalidGzip(path: name, detail: "empty input")
            }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(input.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunkSize - Int(stream.avail_out))])
                if status == Z_STREAM_END {
                    // A further gzip member may follow (as `cat a.gz b.gz` produces).
                    if stream.avail_in > 0 && inflateReset(&stream) == Z_OK { continue }
                    return
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw ImageDataError.invalidGzip(path: name, detail: "truncated stream after \(output.count) bytes")
                }
                guard status == Z_OK else {
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw ImageDataError.invalidGzip(path: name, detail: message)
                }
            }
        }
        return output
    }
}
