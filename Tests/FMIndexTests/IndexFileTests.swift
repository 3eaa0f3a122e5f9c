import FMIndex
import Foundation
import Testing

/// Writing, mapping, and rejecting damaged index files.
struct IndexFileTests {
    static func sampleIndex() throws -> (FMIndex, [[Int]]) {
        let recipe = CorpusRecipe(seed: 99, alphabet: 400, documentCount: 120, maximumLength: 150,
                                  sampleRate: 8, skewed: true)
        let documents = recipe.documents()
        return (try FMIndex(documents: documents, sampleRate: 8), documents)
    }

    /// Writes the sample index, lets `damage` rewrite its bytes, and returns the path.
    static func damagedFile(_ name: String, _ damage: (inout [UInt8]) -> Void) throws -> String {
        let (index, _) = try sampleIndex()
        let path = temporaryPath(name)
        try index.write(to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        damage(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func roundTripThroughAFile() throws {
        let (index, documents) = try Self.sampleIndex()
        let path = temporaryPath("roundtrip.fmi")
        defer { unlink(path) }
        try index.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? Int) == index.sizeInBytes + 32)
        let loaded = try FMIndex(contentsOf: path)
        #expect(loaded.tokenCount == index.tokenCount)
        #expect(loaded.documentLengths == documents.map(\.count))
        #expect(loaded.sampleRate == 8)
        let brute = BruteForce(documents: documents)
        var rng = SplitMix64(seed: 5)
        for _ in 0..<100 {
            let document = documents[Int.random(in: 0..<documents.count, using: &rng)]
            guard document.count >= 3 else { continue }
            let start = Int.random(in: 0...(document.count - 3), using: &rng)
            let ngram = Array(document[start..<start + 3])
            #expect(loaded.count(ngram) == index.count(ngram))
            #expect(Set(loaded.locate(ngram).map { Occurrence(document: $0.document, offset: $0.offset) })
                == Set(brute.occurrences(of: ngram)))
            #expect(loaded.nextTokens(after: ngram) == index.nextTokens(after: ngram))
        }
        for d in documents.indices { #expect(try loaded.document(d) == documents[d]) }
        // Overwriting an existing index replaces it atomically and leaves no temporary files.
        try loaded.write(to: path)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp")
            .filter { $0.hasPrefix((path as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func corruptedPayloadIsAChecksumError() throws {
        let path = try Self.damagedFile("corrupt.fmi") { $0[$0.count / 2] ^= 0x10 }
        defer { unlink(path) }
        let error = #expect(throws: FMIndexError.self) { try FMIndex(contentsOf: path) }
        guard case let .checksumMismatch(errorPath, stored, computed)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && stored != computed)
        #expect(error!.description.contains(path) && error!.description.contains("corrupted"))
    }

    @Test(arguments: [0.5, 0.99])
    func truncatedFileIsATruncationError(keep fraction: Double) throws {
        var original = 0
        let path = try Self.damagedFile("truncated.fmi") {
            original = $0.count
            $0.removeLast($0.count - Int(Double($0.count) * fraction))
        }
        defer { unlink(path) }
        let error = #expect(throws: FMIndexError.self) { try FMIndex(contentsOf: path) }
        guard case let .truncated(errorPath, expected, actual)? = error else {
            Issue.record("expected truncated, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && expected == original && actual < original)
    }

    @Test func headerOnlyPrefixIsATruncationError() throws {
        let path = try Self.damagedFile("short.fmi") { $0.removeLast($0.count - 20) }
        defer { unlink(path) }
        #expect(throws: FMIndexError.truncated(path: path, expectedBytes: 32, actualBytes: 20)) {
            try FMIndex(contentsOf: path)
        }
    }

    @Test(arguments: ["{\"_id\": \"p0\", \"text\": \"not an index\"}\n", "", "NTF", "\u{7F}ELF binary........................"])
    func foreignFileIsRejected(contents: String) throws {
        let path = temporaryPath("foreign.fmi")
        defer { unlink(path) }
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: FMIndexError.self) { try FMIndex(contentsOf: path) }
        switch error {
        case .notAnIndexFile(path)?: break
        case .truncated(path, _, _)? where "NTFMIDX".hasPrefix(contents): break  // a prefix of the magic
        default: Issue.record("unexpected \(String(describing: error)) for \(contents.debugDescription)")
        }
    }

    @Test func otherFormatVersionIsRejected() throws {
        let path = try Self.damagedFile("version.fmi") { $0[8] = 7 }
        defer { unlink(path) }
        #expect(throws: FMIndexError.unsupportedVersion(path: path, found: 7, supported: 2)) {
            try FMIndex(contentsOf: path)
        }
    }

    @Test func missingFileIsAnIOError() {
        let path = temporaryPath("missing.fmi")
        let error = #expect(throws: FMIndexError.self) { try FMIndex(contentsOf: path) }
        guard case let .io(errorPath, _, message)? = error else {
            Issue.record("expected io, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && message.contains("No such file"))
    }
}
