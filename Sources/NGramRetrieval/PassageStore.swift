import FileIO
import Foundation

/// The passages of an index, stored as BEIR JSONL in document order.
enum PassageStore {
    static func write(_ passages: [Passage], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for passage in passages {
            data.append(try encoder.encode(passage))
            data.append(0x0A)
        }
        do { try AtomicWrite.data(data, to: url) } catch let error as FileIOError {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot write (\(error.reason))")
        }
    }

    static func read(_ url: URL) throws -> [Passage] {
        try CorpusReader.readJSONL(url)
    }
}
