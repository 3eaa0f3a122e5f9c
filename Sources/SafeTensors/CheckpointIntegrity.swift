/// The `__metadata__` entries NextToken adds to the files it writes: a format version and
/// a checksum of the data section.
///
/// Files from elsewhere (Hugging Face) have neither and load without a check; a file
/// that has them is checked on load, so a bit flip or a partial copy is reported
/// instead of silently producing a broken model.
///
/// The checksum is `"crc32:"` followed by 8 lowercase hex digits: CRC-32 (zlib) over
/// the data section, the bytes after the header to the end of the file. It can be
/// recomputed outside Swift:
///
/// ```
/// python3 -c "import sys,struct,zlib; b=open(sys.argv[1],'rb').read(); n=struct.unpack('<Q',b[:8])[0]; print('crc32:%08x' % zlib.crc32(b[8+n:]))" model.safetensors
/// ```
public enum CheckpointIntegrity {
    /// The metadata key holding the format version.
    public static let formatVersionKey = "nexttoken.format_version"
    /// The metadata key holding the data-section checksum.
    public static let checksumKey = "nexttoken.checksum"
    /// The version this library writes and the newest it reads.
    public static let formatVersion = "1"
    /// Keys starting with this prefix are reserved for the entries above.
    public static let reservedPrefix = "nexttoken."

    /// The checksum string stored for `crc`.
    static func checksumString(_ crc: UInt32) -> String {
        let hex = String(crc, radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Checks the version and (when `verifyChecksum`) the checksum recorded in `metadata`.
    ///
    /// - Parameters:
    ///   - metadata: The file's `__metadata__`.
    ///   - data: The file's data section.
    ///   - verifyChecksum: Whether to hash the data; skipping it leaves only the version check.
    ///   - path: The file, for error messages.
    /// - Throws: ``SafeTensorsError`` `.unsupportedFormat` for a newer version or unknown
    ///   algorithm, `.checksumMismatch` when the bytes do not match.
    static func check(_ metadata: [String: String], data: UnsafeRawBufferPointer,
                      verifyChecksum: Bool, path: String) throws {
        if let version = metadata[formatVersionKey], version != formatVersion {
            throw SafeTensorsError(.unsupportedFormat, path: path,
                                   detail: "\(formatVersionKey) is '\(version)'; this build reads version \(formatVersion)")
        }
        guard let stored = metadata[checksumKey] else { return }
        guard stored.hasPrefix("crc32:"), stored.count == 14, UInt32(stored.dropFirst(6), radix: 16) != nil else {
            throw SafeTensorsError(.unsupportedFormat, path: path,
                                   detail: "\(checksumKey) '\(stored)' is not of the form crc32:<8 hex digits>")
        }
        guard verifyChecksum else { return }
        let actual = checksumString(CRC32.checksum(data))
        guard actual == stored.lowercased() else {
            throw SafeTensorsError(.checksumMismatch, path: path,
                                   detail: "data section checksum is \(actual) but the header records \(stored); the file is corrupt or was modified")
        }
    }
}
