import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cache of freed tensor buffers, keyed by size class.
///
/// Large allocations come from fresh `mmap`ed pages, and the first write to each page
/// faults: for a 64 MiB activation that costs more than the kernel that fills it. Training
/// and decoding allocate the same sizes over and over, so reusing freed buffers removes those
/// faults. Sizes are rounded up to eighth-octave classes (at most 12.5% waste) so that
/// slowly growing buffers (a KV cache) still hit. The cache holds at most
/// `NEXTTOKEN_BUFFER_CACHE_MB` megabytes (default 1024); beyond that buffers go back to
/// the system.
final class BufferPool: Sendable {
    static let shared = BufferPool()

    /// Buffers below this size come straight from malloc, which caches small blocks itself.
    static let minimumPooledBytes = 64 * 1024

    private struct State {
        // Addresses as integers: raw pointers cannot cross the lock's isolation boundary.
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }

    private let state = Mutex(State())
    private let limitBytes: Int

    private init() {
        let megabytes = ProcessInfo.processInfo.environment["NEXTTOKEN_BUFFER_CACHE_MB"].flatMap(Int.init) ?? 1024
        limitBytes = Swift.max(0, megabytes) << 20
    }

    /// The size class `bytes` is rounded up to.
    static func sizeClass(_ bytes: Int) -> Int {
        if bytes < minimumPooledBytes { return (bytes + 63) & ~63 }
        let exponent = Int.bitWidth - 1 - bytes.leadingZeroBitCount  // floor(log2)
        let step = 1 << (exponent - 3)
        return (bytes + step - 1) / step * step
    }

    /// A 64-byte aligned buffer of at least `bytes` bytes; returns the actual capacity.
    func allocate(bytes: Int) -> (pointer: UnsafeMutableRawPointer, capacity: Int) {
        let capacity = BufferPool.sizeClass(Swift.max(bytes, 64))
        if capacity >= BufferPool.minimumPooledBytes {
            let reused = state.withLock { state -> UInt? in
                guard let address = state.free[capacity]?.popLast() else { return nil }
                state.cachedBytes -= capacity
                return address
            }
            if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return (pointer, capacity) }
        }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, capacity) == 0, let raw else {
            fatalError("out of memory allocating \(capacity) bytes for a tensor")
        }
        return (raw, capacity)
    }

    /// Returns a buffer obtained from ``allocate(bytes:)``.
    func release(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        if capacity >= BufferPool.minimumPooledBytes {
            let address = UInt(bitPattern: pointer)
            let kept = state.withLock { state -> Bool in
                guard state.cachedBytes + capacity <= limitBytes else { return false }
                state.free[capacity, default: []].append(address)
                state.cachedBytes += capacity
                return true
            }
            if kept { return }
        }
        free(pointer)
    }

    /// Frees every cached buffer (for memory measurements).
    func trim() {
        let addresses = state.withLock { state -> [UInt] in
            defer { state.free = [:]; state.cachedBytes = 0 }
            return state.free.values.flatMap { $0 }
        }
        for address in addresses { free(UnsafeMutableRawPointer(bitPattern: address)) }
    }
}
