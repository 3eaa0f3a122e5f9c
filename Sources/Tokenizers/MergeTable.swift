/// Maps a pair of adjacent token ids to its merge rank and the id of the merged token.
///
/// The merge loop looks up every adjacent pair of every new word, so this is the hottest
/// structure of encoding. An open-addressing table over packed `UInt64` keys avoids both
/// string concatenation and `Dictionary`'s SipHash; the packed value `rank << 32 | merged`
/// also orders merges by rank with a single integer comparison.
struct MergeTable: Sendable {
    /// The packed value meaning "these two tokens never merge"; it compares above every rank.
    static let noMerge = UInt64.max

    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private static let emptyKey = UInt64.max

    /// Creates an empty table sized for `capacity` merges at a load factor of at most 1/2.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.emptyKey, count: size)
        values = Array(repeating: Self.noMerge, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        // Fibonacci hashing spreads the structured (left, right) keys over the table.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Adds a merge unless the pair already has one: the first (lowest-rank) rule wins, as in
    /// Hugging Face `tokenizers` when a merges file repeats a pair.
    mutating func insertIfAbsent(left: Int32, right: Int32, rank: UInt32, merged: Int32) {
        let key = Self.key(left, right)
        var index = slot(for: key)
        while keys[index] != Self.emptyKey {
            if keys[index] == key { return }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged))
    }

    /// Returns `rank << 32 | merged id` for the pair, or ``noMerge``.
    @inline(__always)
    func packedMerge(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = Self.key(left, right)
        var index = slot(for: key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.emptyKey { return Self.noMerge }
            index = (index + 1) & mask
        }
    }
}
