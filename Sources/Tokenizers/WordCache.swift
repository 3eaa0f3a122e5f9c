import Synchronization

/// Remembers the token ids of words already merged, shared by all copies of one tokenizer.
///
/// Natural text repeats a small set of words, so most words skip the merge loop entirely.
/// A `Mutex` (not an actor) keeps `encode` synchronous and the tokenizer `Sendable`; the
/// lock is held only for one dictionary access. When full the cache is simply cleared, which
/// bounds memory on adversarial input at the cost of re-merging a few common words.
final class WordCache: Sendable {
    /// Words longer than this are not cached: they are rare and would crowd out common ones.
    static let maximumWordLength = 64

    private let capacity: Int
    private let storage = Mutex<[ByteString: [Int32]]>([:])

    init(capacity: Int = 1 << 17) {
        self.capacity = capacity
    }

    func ids(for word: ByteString) -> [Int32]? {
        storage.withLock { $0[word] }
    }

    func store(_ ids: [Int32], for word: ByteString) {
        storage.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[word] = ids
        }
    }
}
