#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// Keys and values of one attention layer for one sequence: `[KV, capacity, D]` each,
/// growing by doubling. Kept next to the attention that fills it.
public final class KeyValueCache: @unchecked Sendable {
    /// Key/value heads KV.
    public let keyValueHeads: Int
    /// Size of each head D.
    public let headSize: Int
    /// Tokens stored.
    public private(set) var length = 0
    private(set) var capacity: Int
    private(set) var keys: TensorStorage
    private(set) var values: TensorStorage

    /// An empty cache with room for `capacity` tokens (at least 1) before it first grows.
    public init(keyValueHeads: Int, headSize: Int, capacity: Int = 64) {
        self.keyValueHeads = keyValueHeads
        self.headSize = headSize
        self.capacity = Swift.max(capacity, 1)
        keys = TensorStorage(uninitializedCount: keyValueHeads * self.capacity * headSize)
        values = TensorStorage(uninitializedCount: keyValueHeads * self.capacity * headSize)
    }

    /// Where head `h`, token `t` starts: `h * capacity * D + t * D`.
    var layout: Attention.Layout {
        Attention.Layout(batchStride: 0, headStride: capacity * headSize, tokenStride: headSize)
    }

    /// Appends `count` tokens whose keys and values sit in a fused QKV row layout: token `t`
    /// head `h` at `keySource + t * sourceStride + h * D` (likewise values).
    func append(keys keySource: UnsafePointer<Float>, values valueSource: UnsafePointer<Float>, count: Int, sourceStride: Int) {
        reserve(length + count)
        let d = headSize
        for t in 0..<count {
            for h in 0..<keyValueHeads {
                let destination = h * capacity * d + (length + t) * d
                memcpy(keys.pointer + destination, keySource + t * sourceStride + h * d, d * MemoryLayout<Float>.stride)
                memcpy(values.pointer + destination, valueSource + t * sourceStride + h * d, d * MemoryLayout<Float>.stride)
            }
        }
        length += count
    }

    /// Grows the buffers (doubling) so that `needed` tokens fit.
    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let newKeys = TensorStorage(uninitializedCount: keyValueHeads * newCapacity * headSize)
        let newValues = TensorStorage(uninitializedCount: keyValueHeads * newCapacity * headSize)
        for h in 0..<keyValueHeads {
            memcpy(newKeys.pointer + h * newCapacity * headSize, keys.pointer + h * capacity * headSize, length * headSize * MemoryLayout<Float>.stride)
            memcpy(newValues.pointer + h * newCapacity * headSize, values.pointer + h * capacity * headSize, length * headSize * MemoryLayout<Float>.stride)
        }
        keys = newKeys
        values = newValues
        capacity = newCapacity
    }

    var keyPointer: UnsafePointer<Float> { UnsafePointer(keys.pointer) }
    var valuePointer: UnsafePointer<Float> { UnsafePointer(values.pointer) }

    /// Forgets everything after the first `newLength` tokens.
    public func truncate(to newLength: Int) { length = Swift.max(0, Swift.min(length, newLength)) }

    /// An independent copy.
    public func copy() -> KeyValueCache {
        let result = KeyValueCache(keyValueHeads: keyValueHeads, headSize: headSize, capacity: capacity)
        memcpy(result.keys.pointer, keys.pointer, keyValueHeads * capacity * headSize * MemoryLayout<Float>.stride)
        memcpy(result.values.pointer, values.pointer, keyValueHeads * capacity * headSize * MemoryLayout<Float>.stride)
        result.length = length
        return result
    }
}

/// The decoding state of one sequence: a KV cache per layer.
public final class SequenceCache: @unchecked Sendable {
    /// One cache per transformer block, first to last.
    public let layers: [KeyValueCache]

    /// An empty cache for each of `layerCount` blocks.
    public init(layerCount: Int, keyValueHeads: Int, headSize: Int, capacity: Int = 64) {
        layers = (0..<layerCount).map { _ in KeyValueCache(keyValueHeads: keyValueHeads, headSize: headSize, capacity: capacity) }
    }

    private init(layers: [KeyValueCache]) { self.layers = layers }

    /// Tokens held.
    public var length: Int { layers.first?.length ?? 0 }

    /// Added to `length` to give the position id of the next token. Zero for ordinary
    /// prompts; negative after a set-based prompt, whose members share positions.
    public var positionShift = 0

    /// The position id the next token gets by default.
    public var nextPosition: Int { length + positionShift }

    /// Forgets everything after the first `length` tokens.
    public func truncate(to length: Int) { for layer in layers { layer.truncate(to: length) } }

    /// An independent copy (beam search forks beams).
    public func copy() -> SequenceCache {
        let result = SequenceCache(layers: layers.map { $0.copy() })
        result.positionShift = positionShift
        return result
    }
}
