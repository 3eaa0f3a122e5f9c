import Foundation
import NGramRetrieval
import Testing

@Suite struct CorpusReaderTests {
    func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func readsJSONLTSVAndFolders() throws {
        try TinyCorpus.withTemporaryDirectory("corpus") { directory in
            func write(_ text: String, _ name: String) throws -> URL { try self.write(text, name, in: directory) }
            let jsonl = try write("{\"_id\": \"a\", \"title\": \"T_1\", \"text\": \"one\"}\n\n{\"_id\": 7, \"text\": \"two\"}\n", "c.jsonl")
            #expect(try CorpusReader.read(jsonl) == [Passage(id: "a", title: "T_1", text: "one"), Passage(id: "7", title: "", text: "two")])
            let tsv = try write("id\ttext\ttitle\nx\thello there\tGreeting\ny\tbye\n", "c.tsv")
            #expect(try CorpusReader.read(tsv) == [Passage(id: "x", title: "Greeting", text: "hello there"), Passage(id: "y", title: "", text: "bye")])
            let folder = directory.appendingPathComponent("folder")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "second".write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
            try "first\n".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try "ignored".write(to: folder.appendingPathComponent("c.md"), atomically: true, encoding: .utf8)
            #expect(try CorpusReader.read(folder).map(\.id) == ["a", "b"])
            #expect(try CorpusReader.read(folder)[0].text == "first")
        }
    }

    @Test(arguments: [
        ("{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"b\"}\n", "c.jsonl", "c.jsonl:2: missing field 'text'"),
        ("{\"_id\": \"a\", \"text\": \"x\"}\nnot json\n", "c.jsonl", "c.jsonl:2: not a JSON object"),
        ("{\"_id\": \"a\", \"text\": 5}\n", "c.jsonl", "c.jsonl:1: field 'text' is not a string"),
        ("{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"a\", \"text\": \"y\"}\n", "c.jsonl", "duplicate id 'a'"),
        ("a\tb\tc\td\n", "c.tsv", "c.tsv:1: expected 2 or 3"),
        ("\n\n", "c.jsonl", "holds no passage"),
    ])
    func badInputNamesFileAndLine(text: String, name: String, message: String) throws {
        try TinyCorpus.withTemporaryDirectory("bad") { directory in
            let url = try write(text, name, in: directory)
            let error = #expect(throws: RetrievalError.self) { try CorpusReader.read(url) }
            #expect(error.map { "\($0)".contains(message) } == true, "\(String(describing: error))")
        }
    }

    @Test func readsQueriesAndQrels() throws {
        try TinyCorpus.withTemporaryDirectory("queries") { directory in
            func write(_ text: String, _ name: String) throws -> URL { try self.write(text, name, in: directory) }
            let queries = try write("{\"_id\": \"q1\", \"text\": \"who?\", \"passage_id\": \"p0\"}\n", "q.jsonl")
            #expect(try QueryFiles.readQueries(queries) == [RetrievalQuery(id: "q1", text: "who?", passageIDs: ["p0"])])
            let qrels = try write("query-id\tcorpus-id\tscore\nq1\tp0\t1\nq1\tp3\t0\nq2\tp4\t2\n", "q.tsv")
            #expect(try QueryFiles.readQrels(qrels) == ["q1": ["p0"], "q2": ["p4"]])
            let bad = try write("q1\tp0\tmany\n", "bad.tsv")
            #expect(throws: RetrievalError.malformedRecord(path: bad.path, line: 1, reason: "score 'many' is not a number")) {
                try QueryFiles.readQrels(bad)
            }
        }
    }
}
