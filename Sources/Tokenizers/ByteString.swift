/// A byte sequence used as a dictionary key for tokens and pre-token words.
///
/// Swift `String` equality and hashing follow canonical equivalence, so `"é"` (U+00E9) and
/// `"e\u{301}"` would share one key; a tokenizer that must round-trip text exactly has to key
/// its vocabulary by the bytes instead. Hashing the whole buffer at once is also much faster
/// than `[UInt8]`'s element-by-element hashing, which matters in the BPE word cache.
struct ByteString: Hashable, Sendable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.bytes = Array(buffer)
    }

    init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// The bytes read as UTF-8, with invalid sequences replaced by U+FFFD.
    var string: String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes == rhs.bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
