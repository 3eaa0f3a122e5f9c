// Source: byte-level BPE as in GPT-2 (Radford et al. 2019, "Language Models are
// Unsupervised Multitask Learners", section 2.2) and its Hugging Face `tokenizers`
// implementation (models/bpe, pre_tokenizers/byte_level, added tokens).

/// GPT-2 style byte-level byte-pair-encoding tokenizer.
///
/// Text is cut at special tokens (``SpecialTokenSet``), split into words by
/// ``ByteLevelPreTokenizer``, and each word's UTF-8 bytes are merged pairwise, lowest merge
/// rank first, exactly as Hugging Face `tokenizers` does; every byte sequence is covered, so
/// any text round-trips. Loading OpenAI's `vocab.json` + `merges.txt` reproduces GPT-2's ids.
///
/// ```swift
/// let gpt2 = try BytePairTokenizer(
///     vocabularyFile: folder.appending(path: "vocab.json"),
///     mergesFile: folder.appending(path: "merges.txt"))
/// let ids = gpt2.encode("Hello<|endoftext|>World")  // [15496, 50256, 10603]
/// let text = try gpt2.decode(ids)                    // "Hello<|endoftext|>World"
/// ```
public struct BytePairTokenizer: Tokenizer {
    /// The special token GPT-2 registers by default; files without it get it appended.
    public static let defaultSpecialTokens = ["<|endoftext|>"]

    /// Each id's entry spelled in the byte-level alphabet (`nil` for gaps in the ids).
    let spellings: [String?]
    /// The bytes each id decodes to.
    let decodedBytes: [[UInt8]?]
    let idBySpelling: [ByteString: Int]
    /// The id of each single byte, the starting point of every word's merges.
    let byteTokenIDs: [Int32]
    let mergeTable: MergeTable
    /// Merges in rank order as (left id, right id), kept for saving.
    let mergeIDs: [(left: Int32, right: Int32)]
    let specialTokenSet: SpecialTokenSet
    let wordCache: WordCache
    let preTokenizer = ByteLevelPreTokenizer()

    /// Creates a tokenizer from a vocabulary and merge list held in memory.
    ///
    /// - Parameters:
    ///   - vocabulary: Token spellings in the byte-level alphabet, the index being the id.
    ///     All 256 single-byte spellings must be present.
    ///   - merges: Merge rules in priority order, each a pair of spellings whose
    ///     concatenation is itself in `vocabulary`.
    ///   - specialTokens: Special tokens; those missing from `vocabulary` get the next ids.
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` naming the entry at fault.
    public init(
        vocabulary: [String], merges: [(String, String)],
        specialTokens: [String] = BytePairTokenizer.defaultSpecialTokens
    ) throws {
        var idBySpelling: [ByteString: Int] = [:]
        for (id, spelling) in vocabulary.enumerated() {
            guard idBySpelling.updateValue(id, forKey: ByteString(spelling)) == nil else {
                throw TokenizerError.invalidConfiguration(
                    field: "vocabulary[\(id)]", reason: "\"\(spelling)\" appears twice")
            }
        }
        var mergeIDs: [(Int32, Int32)] = []
        for (rank, merge) in merges.enumerated() {
            let lookup = { (spelling: String) throws -> Int32 in
                guard let id = idBySpelling[ByteString(spelling)] else {
                    throw TokenizerError.invalidConfiguration(
                        field: "merges[\(rank)]", reason: "\"\(spelling)\" is not in the vocabulary")
                }
                return Int32(id)
            }
            _ = try lookup(merge.0 + merge.1)
            mergeIDs.append((try lookup(merge.0), try lookup(merge.1)))
        }
        try self.init(
            spellings: vocabulary.map { Optional($0) }, idBySpelling: idBySpelling,
            mergeIDs: mergeIDs, specialTokens: specialTokens, source: "vocabulary")
    }

    /// The designated initializer: inputs are already checked for duplicates and unknown entries.
    init(
        spellings: [String?], idBySpelling: [ByteString: Int], mergeIDs: [(Int32, Int32)],
        specialTokens: [String], source: String
    ) throws {
        var spellings = spellings
        var idBySpelling = idBySpelling
        var specialEntries: [(token: String, id: Int)] = []
        for token in specialTokens {
            if let id = idBySpelling[ByteString(token)] {
                specialEntries.append((token, id))
            } else {
                specialEntries.append((token, spellings.count))
                idBySpelling[ByteString(token)] = spellings.count
                spellings.append(token)
            }
        }
        self.specialTokenSet = try SpecialTokenSet(specialEntries)

        var byteTokenIDs = [Int32](repeating: 0, count: 256)
        for byte in 0..<256 {
            let spelling = String(ByteLevelAlphabet.scalarForByte[byte])
            guard let id = idBySpelling[ByteString(spelling)] else {
                throw TokenizerError.invalidConfiguration(
                    field: source,
                    reason: "has no entry for byte 0x\(String(byte, radix: 16)) (spelled \"\(spelling)\")")
            }
            byteTokenIDs[byte] = Int32(id)
        }
        let specialIDs = Set(specialEntries.map(\.id))
        self.decodedBytes = spellings.enumerated().map { id, spelling in
            guard let spelling else { return nil }
            // Entries outside the alphabet (added tokens some files keep in vocab.json) decode as text.
            if specialIDs.contains(id) { return Array(spelling.utf8) }
            return ByteLevelAlphabet.bytes(of: spelling) ?? Array(spelling.utf8)
        }
        var mergeTable = MergeTable(capacity: mergeIDs.count)
        for (rank, merge) in mergeIDs.enumerated() {
            let merged = spellings[Int(merge.0)]! + spellings[Int(merge.1)]!
            guard let mergedID = idBySpelling[ByteString(merged)] else {
                throw TokenizerError.invalidConfiguration(
                    field: "\(source) merge \(rank)", reason: "\"\(merged)\" is not in the vocabulary")
            }
            mergeTable.insertIfAbsent(left: merge.0, right: merge.1, rank: UInt32(rank), merged: Int32(mergedID))
        }
        self.spellings = spellings
        self.idBySpelling = idBySpelling
        self.byteTokenIDs = byteTokenIDs
        self.mergeTable = mergeTable
        self.mergeIDs = mergeIDs.map { (left: $0.0, right: $0.1) }
        self.wordCache = WordCache()
    }

    public var vocabularySize: Int { spellings.count }

    public var specialTokens: [String] { specialTokenSet.tokens }

    /// The number of merge rules.
    public var mergeCount: Int { mergeIDs.count }

    /// The merge rules in priority order, spelled in the byte-level alphabet.
    public var merges: [(String, String)] {
        mergeIDs.map { (spellings[Int($0.left)]!, spellings[Int($0.right)]!) }
    }

    public func token(for id: Int) -> String? {
        guard spellings.indices.contains(id) else { return nil }
        return spellings[id]
    }

    public func id(for token: String) -> Int? {
        idBySpelling[ByteString(token)]
    }

    public func specialTokenID(_ name: String) -> Int? {
        specialTokenSet.id(for: name)
    }

    /// Converts text to token ids; never fails, since every byte has a token.
    public func encode(_ text: String) -> [Int] {
        var copy = text
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3)
        copy.withUTF8 { buffer in
            specialTokenSet.forEachSegment(in: buffer) { range in
                preTokenizer.forEachPiece(in: buffer, range: range) { piece in
                    appendIDs(ofWord: UnsafeBufferPointer(rebasing: buffer[piece]), to: &ids)
                }
            } special: { index in
                ids.append(specialTokenSet.ids[index])
            }
        }
        return ids
    }

    /// Converts token ids back to text by joining their bytes and reading them as UTF-8.
    ///
    /// A sequence that cuts a multi-byte character (possible for arbitrary ids, never for
    /// the output of ``encode(_:)``) decodes that character as U+FFFD, as Hugging Face does.
    public func decode(_ ids: [Int]) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            guard decodedBytes.indices.contains(id), let tokenBytes = decodedBytes[id] else {
                throw TokenizerError.unknownTokenID(id, vocabularySize: vocabularySize)
            }
            bytes.append(contentsOf: tokenBytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
