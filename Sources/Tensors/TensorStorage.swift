#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-byte aligned buffer of `Float` that one or more tensors view.
///
/// Alignment to a cache line lets SIMD loads and OpenBLAS run at full speed.
/// Storage is a class so that views (reshape, transpose, slice) share memory
/// without copying; tensors are otherwise treated as immutable values, and only
/// code that owns a buffer (optimisers, kernels writing fresh outputs) writes into it.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of `Float` elements.
    public let count: Int

    /// Bytes actually reserved (the pool's size class).
    private let capacity: Int

    /// Allocates `count` uninitialised elements (from ``BufferPool`` when large).
    public init(uninitializedCount count: Int) {
        self.count = count
        let (raw, capacity) = BufferPool.shared.allocate(bytes: count * MemoryLayout<Float>.stride)
        self.capacity = capacity
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    /// Allocates `count` elements set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        if value == 0 {
            memset(pointer, 0, count * MemoryLayout<Float>.stride)
        } else {
            pointer.initialize(repeating: value, count: count)
        }
    }

    deinit { BufferPool.shared.release(UnsafeMutableRawPointer(pointer), capacity: capacity) }

    /// Frees the cached buffers of dead tensors (before measuring memory, or to give it back).
    public static func trimCache() { BufferPool.shared.trim() }
}
