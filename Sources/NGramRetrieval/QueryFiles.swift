import Foundation

/// Reads evaluation inputs: queries JSONL and BEIR qrels TSV.
///
/// ```swift
/// let queries = try QueryFiles.readQueries(URL(fileURLWithPath: "q.jsonl"))
/// let relevant = try QueryFiles.readQrels(URL(fileURLWithPath: "q.qrels.tsv"))  // [queryID: Set<passageID>]
/// ```
public enum QueryFiles {
    /// Queries, one JSON object a line: `{"_id": "...", "text": "...", "passage_id": "..."}`
    /// (`passage_id` optional).
    ///
    /// - Throws: ``RetrievalError`` naming file and line.
    public static func readQueries(_ url: URL) throws -> [RetrievalQuery] {
        try CorpusReader.lines(of: url).map { number, line in
            let object = try CorpusReader.object(line, path: url.path, number: number)
            let gold = try CorpusReader.string(object, "passage_id", path: url.path, line: number, required: false)
            return RetrievalQuery(
                id: try CorpusReader.string(object, "_id", path: url.path, line: number)!,
                text: try CorpusReader.string(object, "text", path: url.path, line: number)!,
                passageIDs: gold.map { [$0] } ?? [])
        }
    }

    /// Relevance judgements `query-id<TAB>corpus-id<TAB>score` (header optional); rows with
    /// score <= 0 are not relevant.
    ///
    /// - Throws: ``RetrievalError`` naming file and line.
    public static func readQrels(_ url: URL) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for (index, (number, line)) in try CorpusReader.lines(of: url).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if index == 0, fields.first == "query-id" { continue }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw RetrievalError.malformedRecord(path: url.path, line: number, reason: "expected query-id<TAB>corpus-id<TAB>score")
            }
            if fields.count >= 3 {
                guard let score = Double(fields[2].trimmingCharacters(in: .whitespaces)) else {
                    throw RetrievalError.malformedRecord(path: url.path, line: number, reason: "score '\(fields[2])' is not a number")
                }
                if score <= 0 { continue }
            }
            result[fields[0], default: []].insert(fields[1])
        }
        return result
    }
}
