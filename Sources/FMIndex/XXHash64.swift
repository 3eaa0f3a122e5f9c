// 64-bit xxHash, used as the payload checksum of index files.
//
// Source: Y. Collet, "xxHash fast digest algorithm", XXH64 specification v0.1.1
// (github.com/Cyan4973/xxHash, doc/xxhash_spec.md), Sections "XXH64 algorithm description"
// steps 1-6. Chosen over CRC32 because it runs at memory speed without tables or
// hardware support, so verifying a large mapped index costs little at load time.

/// The XXH64 hash of a byte range.
///
/// ```swift
/// let empty = XXHash64.hash(UnsafeRawBufferPointer(start: nil, count: 0))  // 0xEF46DB3751D8E999
/// ```
public enum XXHash64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) private static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 &- r)) }

    @inline(__always) private static func round(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        rotate(accumulator &+ lane &* prime2, 31) &* prime1
    }

    @inline(__always) private static func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    /// Hashes `bytes` with `seed` (default 0).
    /// - Parameters:
    ///   - bytes: the data; any alignment.
    ///   - seed: the hash seed.
    /// - Returns: the 64-bit digest, equal to the reference `XXH64(bytes, seed)`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let length = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ prime5 &+ 0, base: nil, from: 0, to: 0) }
        var offset = 0
        var digest: UInt64
        if length >= 32 {
            var v1 = seed &+ prime1 &+ prime2, v2 = seed &+ prime2, v3 = seed, v4 = seed &- prime1
            let stripeEnd = length - 32
            while offset <= stripeEnd {
                v1 = round(v1, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
                v2 = round(v2, base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).littleEndian)
                v3 = round(v3, base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self).littleEndian)
                v4 = round(v4, base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self).littleEndian)
                offset += 32
            }
            digest = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            digest = merge(merge(merge(merge(digest, v1), v2), v3), v4)
        } else {
            digest = seed &+ prime5
        }
        return finish(digest &+ UInt64(length), base: base, from: offset, to: length)
    }

    /// Consumes the last < 32 bytes and avalanches.
    private static func finish(_ start: UInt64, base: UnsafeRawPointer?, from: Int, to end: Int) -> UInt64 {
        var digest = start
        var offset = from
        if let base {
            while offset + 8 <= end {
                let lane = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
                digest = rotate(digest ^ round(0, lane), 27) &* prime1 &+ prime4
                offset += 8
            }
            if offset + 4 <= end {
                let lane = UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                digest = rotate(digest ^ (lane &* prime1), 23) &* prime2 &+ prime3
                offset += 4
            }
            while offset < end {
                let byte = UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
                digest = rotate(digest ^ (byte &* prime5), 11) &* prime1
                offset += 1
            }
        }
        digest ^= digest &>> 33
        digest = digest &* prime2
        digest ^= digest &>> 29
        digest = digest &* prime3
        digest ^= digest &>> 32
        return digest
    }
}
