// Source: Sennrich, Haddow & Birch 2016, "Neural Machine Translation of Rare Words with
// Subword Units" (section 3.2, Algorithm 1), applied to bytes as in GPT-2 (Radford et al.
// 2019, section 2.2); incremental pair counts as in Hugging Face `tokenizers`
// (models/bpe/trainer.rs).

/// Learns a byte-level BPE vocabulary and merge list from a user's texts.
///
/// Texts are cut at the special tokens (which are not learned from), split by
/// ``ByteLevelPreTokenizer``, and counted as words; then the most frequent adjacent pair of
/// symbols is merged, repeatedly, until the vocabulary reaches ``vocabularySize`` or no pair
/// occurs ``minimumPairFrequency`` times. Every one of the 256 bytes is in the vocabulary, so
/// the resulting tokenizer round-trips any text, including text unlike the training corpus.
///
/// Vocabulary layout: special tokens first (ids `0..<specialTokens.count`), then the 256
/// bytes in GPT-2's order, then merged tokens in the order they were learned. Ties between
/// equally frequent pairs go to the pair of earlier symbols (bytes by value, then older
/// merges), which makes training deterministic.
///
/// ```swift
/// let trainer = try BytePairTrainer(vocabularySize: 4000, specialTokens: ["<|endoftext|>"])
/// let tokenizer = try trainer.train(on: documents)
/// try tokenizer.save(to: folder)  // vocab.json + merges.txt
/// ```
public struct BytePairTrainer: Sendable {
    /// The size of the final vocabulary, special tokens and the 256 bytes included.
    public let vocabularySize: Int
    /// Special tokens, given the first ids and matched whole in text.
    public let specialTokens: [String]
    /// Merging stops before a pair seen fewer times than this; 2 (the default) avoids
    /// spending vocabulary on strings that occur only once.
    public let minimumPairFrequency: Int

    /// Checks and stores the training settings.
    ///
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` if the vocabulary cannot
    ///   hold the 256 bytes and the special tokens, or a special token is empty, repeated, or
    ///   spelled like a single byte's token.
    public init(vocabularySize: Int, specialTokens: [String] = [], minimumPairFrequency: Int = 2) throws {
        guard vocabularySize >= 256 + specialTokens.count else {
            throw TokenizerError.invalidConfiguration(
                field: "vocabularySize",
                reason: "\(vocabularySize) cannot hold the 256 byte tokens and \(specialTokens.count) special tokens")
        }
        guard minimumPairFrequency >= 1 else {
            throw TokenizerError.invalidConfiguration(
                field: "minimumPairFrequency", reason: "must be at least 1, got \(minimumPairFrequency)")
        }
        // Validates emptiness and repeats with the same messages tokenizers use.
        _ = try SpecialTokenSet(specialTokens.enumerated().map { ($1, $0) })
        for (index, token) in specialTokens.enumerated() where ByteLevelAlphabet.bytes(of: token)?.count == 1 {
            throw TokenizerError.invalidConfiguration(
                field: "specialTokens[\(index)]", reason: "\"\(token)\" is spelled like a single-byte token")
        }
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.minimumPairFrequency = minimumPairFrequency
    }

    /// Learns merges from texts and returns the resulting tokenizer.
    ///
    /// - Parameter texts: The training corpus, e.g. one string per document.
    /// - Returns: A tokenizer with at most ``vocabularySize`` tokens (exactly that many when
    ///   the corpus has enough frequent pairs).
    public func train(on texts: some Sequence<String>) throws -> BytePairTokenizer {
        let specialSet = try SpecialTokenSet(specialTokens.enumerated().map { ($1, $0) })
        let counts = countWords(in: texts, cuttingAt: specialSet)
        var statistics = PairStatistics(words: counts)
        let mergeBudget = vocabularySize - 256 - specialTokens.count
        // A learned token spelled like a special token would make vocab.json ambiguous.
        let forbiddenSpellings = Set(specialTokens)
        let merges = statistics.learnMerges(
            count: mergeBudget, minimumFrequency: minimumPairFrequency
        ) { bytes in
            !forbiddenSpellings.contains(ByteLevelAlphabet.spelling(of: bytes))
        }
        return try assemble(merges: merges, symbolBytes: statistics.symbolBytes)
    }

    /// Counts each distinct pre-token word's occurrences, keyed by its bytes.
    private func countWords(in texts: some Sequence<String>, cuttingAt specials: SpecialTokenSet) -> [ByteString: Int] {
        let preTokenizer = ByteLevelPreTokenizer()
        var counts: [ByteString: Int] = [:]
        for text in texts {
            var copy = text
            copy.withUTF8 { buffer in
                specials.forEachSegment(in: buffer) { range in
                    preTokenizer.forEachPiece(in: buffer, range: range) { piece in
                        counts[ByteString(UnsafeBufferPointer(rebasing: buffer[piece])), default: 0] += 1
                    }
                } special: { _ in }
            }
        }
        return counts
    }

    /// Builds the tokenizer: translates the trainer's symbol ids (bytes by value, then merges)
    /// into the vocabulary layout described on the type.
    private func assemble(merges: [(Int32, Int32)], symbolBytes: [[UInt8]]) throws -> BytePairTokenizer {
        let specialCount = specialTokens.count
        var finalID = [Int32](repeating: 0, count: symbolBytes.count)
        for (index, byte) in ByteLevelAlphabet.bytesInVocabularyOrder.enumerated() {
            finalID[Int(byte)] = Int32(specialCount + index)
        }
        for symbol in 256..<symbolBytes.count {
            finalID[symbol] = Int32(specialCount + symbol)
        }
        var spellings: [String?] = specialTokens.map { Optional($0) }
        spellings += ByteLevelAlphabet.bytesInVocabularyOrder.map { String(ByteLevelAlphabet.scalarForByte[Int($0)]) }
        spellings += symbolBytes[256...].map { ByteLevelAlphabet.spelling(of: $0) }
        var idBySpelling: [ByteString: Int] = [:]
        for (id, spelling) in spellings.enumerated() {
            idBySpelling[ByteString(spelling!)] = id
        }
        return try BytePairTokenizer(
            spellings: spellings, idBySpelling: idBySpelling,
            mergeIDs: merges.map { (finalID[Int($0.0)], finalID[Int($0.1)]) },
            specialTokens: specialTokens, source: "trained vocabulary")
    }
}
