#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The bytes behind an index, and the word-aligned section layout of its payload.
//
// A freshly built index and a loaded one read the same payload layout through the same
// parser: the builder writes sections with `PayloadWriter`, then parses them back from
// heap memory, while loading parses them straight from a read-only mmap of the file. So
// the big arrays are never copied on load, and the file path and build path cannot drift.

/// Owns the payload bytes: a heap block (built index) or a file mapping (loaded index).
final class IndexStorage: @unchecked Sendable {
    // @unchecked: the bytes are immutable after init and freed only in deinit.
    enum Backing {
        case heap(UnsafeMutableRawPointer)
        case mapped(UnsafeMutableRawPointer, length: Int)
    }

    /// First payload byte; 32 bytes past a 64-byte boundary, in memory as in the file (after
    /// its 32-byte header), so sections written with ``PayloadWriter/appendLines(_:)`` start on
    /// a cache line in both.
    let payload: UnsafeRawPointer
    /// Where the payload starts relative to a 64-byte boundary (the file header's size).
    static let payloadPhase = IndexFile.headerSize
    /// Payload length in bytes (a multiple of 8).
    let payloadByteCount: Int
    private let backing: Backing

    /// Takes ownership of a heap copy of `words`.
    init(words: [UInt64]) {
        let bytes = words.count * 8
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes + Self.payloadPhase, alignment: 64)
        words.withUnsafeBytes { (block + Self.payloadPhase).copyMemory(from: $0.baseAddress!, byteCount: bytes) }
        payload = UnsafeRawPointer(block + Self.payloadPhase)
        payloadByteCount = bytes
        backing = .heap(block)
    }

    /// Takes ownership of a mapping whose payload starts `payloadOffset` bytes in.
    init(mapping: UnsafeMutableRawPointer, mappedLength: Int, payloadOffset: Int, payloadByteCount: Int) {
        payload = UnsafeRawPointer(mapping + payloadOffset)
        self.payloadByteCount = payloadByteCount
        backing = .mapped(mapping, length: mappedLength)
    }

    deinit {
        switch backing {
        case let .heap(block): block.deallocate()
        case let .mapped(base, length): munmap(base, length)
        }
    }
}

/// Appends payload sections as 64-bit words; every array is length-prefixed and padded to
/// a word so that each section starts 8-byte aligned in the file and in memory.
struct PayloadWriter {
    private(set) var words: [UInt64] = []

    init(reservingBytes: Int = 0) { words.reserveCapacity(reservingBytes / 8 + 16) }

    mutating func append(_ value: Int) { words.append(UInt64(bitPattern: Int64(value))) }

    mutating func append(words array: UnsafeBufferPointer<UInt64>) {
        append(array.count)
        words.append(contentsOf: array)
    }

    /// A length-prefixed array whose first word starts a cache line: zero words pad the
    /// payload to a 64-byte boundary (counting the payload's ``IndexStorage/payloadPhase``).
    mutating func appendLines(_ array: UnsafeBufferPointer<UInt64>) {
        append(array.count)
        while (IndexStorage.payloadPhase + words.count * 8) % 64 != 0 { words.append(0) }
        words.append(contentsOf: array)
    }

    mutating func append(int32s array: UnsafeBufferPointer<Int32>) {
        append(array.count)
        let start = words.count
        words.append(contentsOf: repeatElement(0, count: (array.count + 1) / 2))
        words.withUnsafeMutableBytes { raw in
            if let source = array.baseAddress {
                (raw.baseAddress! + start * 8).copyMemory(from: source, byteCount: array.count * 4)
            }
        }
    }
}

/// Reads sections back in the order they were written, checking each against the payload
/// end so a malformed file throws instead of reading out of bounds.
struct PayloadReader {
    let storage: IndexStorage
    let path: String
    private var offset = 0  // bytes

    init(storage: IndexStorage, path: String) {
        self.storage = storage
        self.path = path
    }

    private func need(_ bytes: Int, _ what: String) throws {
        guard bytes >= 0, offset + bytes <= storage.payloadByteCount else {
            throw FMIndexError.malformed(path: path, reason: "\(what) extends past the end of the payload")
        }
    }

    mutating func integer(_ what: String) throws -> Int {
        try need(8, what)
        let value = storage.payload.load(fromByteOffset: offset, as: Int64.self)
        offset += 8
        guard value >= 0, value <= Int64(Int32.max) * 64 else {
            throw FMIndexError.malformed(path: path, reason: "\(what) is \(value), out of range")
        }
        return Int(value)
    }

    mutating func words(_ what: String) throws -> UnsafeBufferPointer<UInt64> {
        let count = try integer("length of \(what)")
        try need(count * 8, what)
        let start = (storage.payload + offset).assumingMemoryBound(to: UInt64.self)
        offset += count * 8
        return UnsafeBufferPointer(start: start, count: count)
    }

    /// Reads a section written by ``PayloadWriter/appendLines(_:)``; its padding must be zero.
    mutating func lines(_ what: String) throws -> UnsafeBufferPointer<UInt64> {
        let count = try integer("length of \(what)")
        while (IndexStorage.payloadPhase + offset) % 64 != 0 {
            try need(8, "padding of \(what)")
            guard storage.payload.load(fromByteOffset: offset, as: UInt64.self) == 0 else {
                throw malformed("padding before \(what) is not zero")
            }
            offset += 8
        }
        try need(count * 8, what)
        let start = (storage.payload + offset).assumingMemoryBound(to: UInt64.self)
        offset += count * 8
        return UnsafeBufferPointer(start: start, count: count)
    }

    mutating func int32s(_ what: String) throws -> UnsafeBufferPointer<Int32> {
        let count = try integer("length of \(what)")
        let padded = (count + 1) / 2 * 8
        try need(padded, what)
        let start = (storage.payload + offset).assumingMemoryBound(to: Int32.self)
        offset += padded
        return UnsafeBufferPointer(start: start, count: count)
    }

    /// Throws unless every payload byte was consumed.
    func expectEnd() throws {
        guard offset == storage.payloadByteCount else {
            throw FMIndexError.malformed(
                path: path, reason: "\(storage.payloadByteCount - offset) unexpected bytes after the last section")
        }
    }

    func malformed(_ reason: String) -> FMIndexError { .malformed(path: path, reason: reason) }
}
