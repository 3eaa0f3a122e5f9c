import Foundation

/// Reads passages from the three corpus layouts users already have.
///
/// - JSONL, one object a line: `{"_id": "p0", "title": "...", "text": "..."}` (BEIR; `title`
///   optional).
/// - TSV, `id<TAB>text[<TAB>title]` (the DPR / SEAL layout); a first line `id<TAB>text...`
///   is a header and skipped.
/// - A folder of `.txt` files: one passage per file, the file name (without `.txt`) as id
///   and title, read in name order.
///
/// ```swift
/// let passages = try CorpusReader.read(URL(fileURLWithPath: "corpus.jsonl"))
/// ```
public enum CorpusReader {
    /// Reads a corpus, choosing the layout from the path (folder, `.tsv`, anything else JSONL).
    /// - Throws: ``RetrievalError`` naming the file and line of the first bad record, or
    ///   ``RetrievalError/emptyCorpus(path:)``; duplicate ids are an error too.
    public static func read(_ url: URL) throws -> [Passage] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw RetrievalError.fileAccess(path: url.path, reason: "no such file or folder")
        }
        let passages: [Passage]
        if isDirectory.boolValue {
            passages = try readFolder(url)
        } else if url.pathExtension.lowercased() == "tsv" {
            passages = try readTSV(url)
        } else {
            passages = try readJSONL(url)
        }
        guard !passages.isEmpty else { throw RetrievalError.emptyCorpus(path: url.path) }
        var seen: [String: Int] = [:]
        for (index, passage) in passages.enumerated() {
            if let first = seen.updateValue(index, forKey: passage.id) {
                throw RetrievalError.malformedRecord(
                    path: url.path, line: index + 1, reason: "duplicate id '\(passage.id)' (first at record \(first + 1))")
            }
        }
        return passages
    }

    /// The lines of a UTF-8 text file, with 1-based numbers, skipping blank lines.
    static func lines(of url: URL) throws -> [(number: Int, text: Substring)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RetrievalError.fileAccess(path: url.path, reason: "not UTF-8 text")
        }
        var result: [(Int, Substring)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if !trimmed.allSatisfy(\.isWhitespace) { result.append((index + 1, trimmed)) }
        }
        return result
    }

    /// Parses one JSONL line into an object, or throws naming file and line.
    static func object(_ line: Substring, path: String, number: Int) throws -> [String: Any] {
        let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        guard let object = parsed as? [String: Any] else {
            throw RetrievalError.malformedRecord(path: path, line: number, reason: "not a JSON object")
        }
        return object
    }

    /// A string field (numbers are accepted as ids), or throws naming the field.
    static func string(_ object: [String: Any], _ field: String, path: String, line: Int, required: Bool = true) throws -> String? {
        switch object[field] {
        case let value as String: return value
        case let value as NSNumber where field.hasSuffix("id"): return value.stringValue
        case nil where !required, is NSNull where !required: return nil
        case nil: throw RetrievalError.malformedRecord(path: path, line: line, reason: "missing field '\(field)'")
        default: throw RetrievalError.malformedRecord(path: path, line: line, reason: "field '\(field)' is not a string")
        }
    }

    static func readJSONL(_ url: URL) throws -> [Passage] {
        try lines(of: url).map { number, line in
            let object = try Self.object(line, path: url.path, number: number)
            return Passage(
                id: try string(object, "_id", path: url.path, line: number)!,
                title: try string(object, "title", path: url.path, line: number, required: false) ?? "",
                text: try string(object, "text", path: url.path, line: number)!)
        }
    }

    static func readTSV(_ url: URL) throws -> [Passage] {
        var passages: [Passage] = []
        for (index, (number, line)) in try lines(of: url).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if index == 0, fields.first?.lowercased() == "id", fields.count >= 2, fields[1].lowercased() == "text" { continue }
            guard fields.count == 2 || fields.count == 3 else {
                throw RetrievalError.malformedRecord(
                    path: url.path, line: number, reason: "expected 2 or 3 tab-separated fields (id, text[, title]), found \(fields.count)")
            }
            guard !fields[0].isEmpty else {
                throw RetrievalError.malformedRecord(path: url.path, line: number, reason: "empty id")
            }
            passages.append(Passage(id: fields[0], title: fields.count == 3 ? fields[2] : "", text: fields[1]))
        }
        return passages
    }

    static func readFolder(_ url: URL) throws -> [Passage] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw RetrievalError.fileAccess(path: url.path, reason: "cannot list folder (\(error.localizedDescription))")
        }
        return try names.filter { $0.hasSuffix(".txt") }.sorted().map { name in
            let file = url.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
                throw RetrievalError.fileAccess(path: file.path, reason: "cannot read as UTF-8 text")
            }
            let stem = String(name.dropLast(4))
            return Passage(id: stem, title: stem, text: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
