import FileIO
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The on-disk container of an FM-index: a 32-byte header and the payload.
//
//   offset  size  field
//        0     8  magic "NTFMIDX\0"
//        8     4  format version (little-endian UInt32), currently 2 (1: rank directories
//                 apart from the bits, before the cache-line layout of RankBitVector)
//       12     4  header size in bytes (32)
//       16     8  payload size in bytes
//       24     8  XXH64 (seed 0) of the payload
//       32     -  payload: 64-bit words, sections as written by FMIndex (little-endian)
//
// Writes go through FileIO's AtomicWrite (temporary file, fsync, rename, fsync the folder),
// so a crash never leaves a half-written index under the real name. Loads mmap
// the whole file read-only; the payload starts at offset 32 of a page-aligned mapping, so
// every section is 8-byte aligned (rank bit vectors 64-byte aligned) and is used in place.

enum IndexFile {
    static let magic: [UInt8] = Array("NTFMIDX".utf8) + [0]
    static let formatVersion: UInt32 = 2
    static let headerSize = 32

    /// Atomically writes `storage`'s payload under `path`.
    static func write(_ storage: IndexStorage, to path: String) throws {
        let payload = UnsafeRawBufferPointer(start: storage.payload, count: storage.payloadByteCount)
        var header = [UInt8](repeating: 0, count: headerSize)
        header.replaceSubrange(0..<8, with: magic)
        store(UInt64(formatVersion) | UInt64(headerSize) << 32, into: &header, at: 8)
        store(UInt64(payload.count), into: &header, at: 16)
        store(XXHash64.hash(payload), into: &header, at: 24)

        do {
            try AtomicWrite.stream(to: URL(fileURLWithPath: path)) { write in
                try header.withUnsafeBytes { try write($0) }
                try write(payload)
            }
        } catch let error as FileIOError {
            // FMIndexError adds "failed": "cannot write" reads as "write failed".
            let operation = error.action.hasPrefix("cannot ") ? String(error.action.dropFirst(7)) : error.action
            throw FMIndexError.io(path: path, operation: operation, message: error.reason)
        }
    }

    /// Maps `path`, checks magic, version, length and checksum, and returns the payload storage.
    static func map(_ path: String) throws -> IndexStorage {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(path, "opening the index file") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError(path, "fstat") }
        let fileSize = Int(status.st_size)

        var header = [UInt8](repeating: 0, count: headerSize)
        let headerBytes = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, headerSize, 0) }
        guard headerBytes >= 0 else { throw systemError(path, "reading the header") }
        let prefix = min(headerBytes, magic.count)
        guard Array(header[0..<prefix]) == Array(magic[0..<prefix]) else {
            throw FMIndexError.notAnIndexFile(path: path)
        }
        guard headerBytes >= 12 else {
            throw FMIndexError.truncated(path: path, expectedBytes: headerSize, actualBytes: fileSize)
        }
        let version = UInt32(truncatingIfNeeded: load(header, at: 8))
        guard version == formatVersion else {
            throw FMIndexError.unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        guard headerBytes == headerSize else {
            throw FMIndexError.truncated(path: path, expectedBytes: headerSize, actualBytes: fileSize)
        }
        let declaredHeader = Int(load(header, at: 8) >> 32)
        let payloadSize = load(header, at: 16)
        let storedChecksum = load(header, at: 24)
        guard declaredHeader == headerSize, payloadSize % 8 == 0, payloadSize < UInt64(Int.max / 2) else {
            throw FMIndexError.malformed(path: path, reason: "header declares header size \(declaredHeader) "
                + "and payload size \(payloadSize)")
        }
        let expected = headerSize + Int(payloadSize)
        guard fileSize >= expected else {
            throw FMIndexError.truncated(path: path, expectedBytes: expected, actualBytes: fileSize)
        }
        guard fileSize == expected else {
            throw FMIndexError.malformed(path: path, reason: "\(fileSize - expected) bytes after the payload")
        }

        guard let mapping = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            throw systemError(path, "mmap")
        }
        let storage = IndexStorage(mapping: mapping, mappedLength: fileSize, payloadOffset: headerSize,
                                   payloadByteCount: Int(payloadSize))
        let computed = XXHash64.hash(UnsafeRawBufferPointer(start: storage.payload, count: storage.payloadByteCount))
        guard computed == storedChecksum else {
            throw FMIndexError.checksumMismatch(path: path, stored: storedChecksum, computed: computed)
        }
        return storage
    }

    private static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
    }

    private static func load(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        return value
    }

    private static func systemError(_ path: String, _ operation: String) -> FMIndexError {
        .io(path: path, operation: operation, message: String(cString: strerror(errno)))
    }
}
