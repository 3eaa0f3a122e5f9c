import Foundation

/// Reads and writes `vocab.json`: one JSON object mapping each token's spelling to its id.
///
/// The reader is a small hand-written JSON parser rather than `JSONSerialization` because
/// error messages must name the line and column at fault (GPT-2's file is a single 1 MB
/// line), because keys must be compared by their bytes (`String` equality would merge
/// canonically equivalent spellings), and because it is several times faster.
enum VocabularyFile {
    /// Ids above this are rejected: they would make the id-indexed tables absurdly large.
    static let maximumID = 1 << 24

    /// One `"spelling": id` member and the byte offset of its key, for later error messages.
    struct Entry {
        var spelling: String
        var id: Int
        var offset: Int
    }

    /// Reads and validates a vocabulary file.
    ///
    /// - Throws: ``TokenizerError/malformedFile(path:line:column:reason:)`` for invalid JSON,
    ///   non-integer, negative or repeated ids and repeated spellings.
    static func read(from url: URL) throws -> [Entry] {
        let data = try FileAccess.read(url)
        let bytes = [UInt8](data)
        var parser = JSONObjectParser(bytes: bytes)
        let entries: [Entry]
        do {
            entries = try parser.parseStringToIntegerObject().map { Entry(spelling: $0.key, id: $0.value, offset: $0.offset) }
        } catch let error as JSONObjectParser.Failure {
            throw malformed(url, bytes, error.offset, error.reason)
        }
        var seenSpellings = Set<ByteString>()
        var seenIDs = Set<Int>()
        for entry in entries {
            guard seenSpellings.insert(ByteString(entry.spelling)).inserted else {
                throw malformed(url, bytes, entry.offset, "token \"\(entry.spelling)\" appears twice")
            }
            guard entry.id >= 0, entry.id < maximumID else {
                throw malformed(url, bytes, entry.offset, "id \(entry.id) of \"\(entry.spelling)\" is outside 0..<\(maximumID)")
            }
            guard seenIDs.insert(entry.id).inserted else {
                throw malformed(url, bytes, entry.offset, "id \(entry.id) of \"\(entry.spelling)\" is used by another token")
            }
        }
        return entries
    }

    /// Writes spellings in id order (gaps left out) as `vocab.json`, atomically.
    static func write(_ spellings: [String?], to url: URL) throws {
        var text = "{"
        var first = true
        for (id, spelling) in spellings.enumerated() {
            guard let spelling else { continue }
            text += first ? "" : ", "
            first = false
            text += JSONObjectParser.quoted(spelling) + ": " + String(id)
        }
        text += "}"
        try FileAccess.writeAtomically(Data(text.utf8), to: url)
    }

    private static func malformed(_ url: URL, _ bytes: [UInt8], _ offset: Int, _ reason: String) -> TokenizerError {
        let (line, column) = FileAccess.lineAndColumn(of: offset, in: bytes)
        return .malformedFile(path: url.path, line: line, column: column, reason: reason)
    }
}
