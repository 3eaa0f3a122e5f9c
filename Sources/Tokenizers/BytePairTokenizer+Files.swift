import Foundation

extension BytePairTokenizer {
    /// The vocabulary file name Hugging Face uses (OpenAI's `encoder.json`).
    public static let vocabularyFileName = "vocab.json"
    /// The merges file name Hugging Face uses (OpenAI's `vocab.bpe`).
    public static let mergesFileName = "merges.txt"

    /// Loads a tokenizer from a `vocab.json` and a `merges.txt` file.
    ///
    /// - Parameters:
    ///   - vocabularyFile: JSON object from token spelling (byte-level alphabet) to id.
    ///   - mergesFile: Merge rules, one per line, in priority order.
    ///   - specialTokens: Special tokens matched in text before splitting; those not in the
    ///     vocabulary file are given the next free ids.
    /// - Throws: ``TokenizerError/fileAccess(path:reason:)`` when a file cannot be read,
    ///   ``TokenizerError/malformedFile(path:line:column:reason:)`` naming the file and line
    ///   of a malformed entry.
    ///
    /// ```swift
    /// let gpt2 = try BytePairTokenizer(vocabularyFile: vocab, mergesFile: merges)
    /// ```
    public init(
        vocabularyFile: URL, mergesFile: URL,
        specialTokens: [String] = BytePairTokenizer.defaultSpecialTokens
    ) throws {
        let entries = try VocabularyFile.read(from: vocabularyFile)
        let size = (entries.map(\.id).max() ?? -1) + 1
        var spellings = [String?](repeating: nil, count: size)
        var idBySpelling: [ByteString: Int] = [:]
        idBySpelling.reserveCapacity(entries.count)
        for entry in entries {
            spellings[entry.id] = entry.spelling
            idBySpelling[ByteString(entry.spelling)] = entry.id
        }
        let merges = try MergesFile.read(
            from: mergesFile, idBySpelling: idBySpelling, vocabularyName: vocabularyFile.lastPathComponent)
        try self.init(
            spellings: spellings, idBySpelling: idBySpelling, mergeIDs: merges,
            specialTokens: specialTokens, source: vocabularyFile.path)
    }

    /// Loads `vocab.json` and `merges.txt` from one folder, as Hugging Face lays them out, or
    /// the folder's `tokenizer.json` when it has no `vocab.json`
    /// (see ``init(tokenizerJSONFile:specialTokens:)``).
    public init(
        directory: URL, specialTokens: [String] = BytePairTokenizer.defaultSpecialTokens
    ) throws {
        let tokenizerJSON = directory.appendingPathComponent(Self.tokenizerJSONFileName)
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: directory.appendingPathComponent(Self.vocabularyFileName).path),
           fileManager.fileExists(atPath: tokenizerJSON.path) {
            try self.init(tokenizerJSONFile: tokenizerJSON, specialTokens: specialTokens)
            return
        }
        try self.init(
            vocabularyFile: directory.appendingPathComponent(Self.vocabularyFileName),
            mergesFile: directory.appendingPathComponent(Self.mergesFileName),
            specialTokens: specialTokens)
    }

    /// Saves `vocab.json` and `merges.txt` into a folder (created if needed), each atomically.
    ///
    /// Special tokens are written into `vocab.json` with their ids; pass the same
    /// ``specialTokens`` to ``init(directory:specialTokens:)`` to get them back as special.
    public func save(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TokenizerError.fileAccess(path: directory.path, reason: "cannot create folder (\(error.localizedDescription))")
        }
        try VocabularyFile.write(spellings, to: directory.appendingPathComponent(Self.vocabularyFileName))
        try MergesFile.write(merges, to: directory.appendingPathComponent(Self.mergesFileName))
    }
}
