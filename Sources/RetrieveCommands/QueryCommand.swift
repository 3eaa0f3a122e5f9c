import ArgumentParser
import Foundation
import NGramRetrieval

/// `retrieve query --index DIR "text" -k 10 [--json]`
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Show the best passages for a question, matched n-grams highlighted.")

    @OptionGroup var location: IndexLocation
    @Argument(help: "The question.")
    var text: String
    @Option(name: .short, help: "Number of passages.")
    var k = 10
    @OptionGroup var search: SearchOptions
    @OptionGroup var denseOptions: DenseOptions
    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false
    @Flag(name: .long, help: "Also list every key on stderr: source, log P(n|q), corpus count, SEAL weight.")
    var keys = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be >= 1") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("the question is empty") }
        guard denseOptions.denseWeight.count <= 1 else { throw ValidationError("query takes one --dense-weight") }
    }

    func run() async throws {
        let retriever = try search.loadRetriever(try location.resolved())
        let settings = try search.settings(over: retriever.defaultSettings)
        let dense = try denseOptions.load(index: retriever.index)
        let start = Date()
        let hits: [SearchHit]
        if let dense {
            hits = try dense.search(text, limit: k, hybridWeight: denseOptions.hybridWeight, retriever: retriever, settings: settings)
        } else {
            hits = try retriever.search(text, limit: k, settings: settings)
        }
        let seconds = Date().timeIntervalSince(start)
        if keys && !denseOptions.dense {
            let scoring = settings.scoring
            let index = retriever.index
            for key in try retriever.keys(for: text, settings: settings).sorted(by: { $0.logProbability > $1.logProbability }) {
                let count = key.forms.reduce(0) { $0 + index.fmIndex.count($1) }
                let weight = retriever.scoring.weight(forms: key.forms, logProbability: key.logProbability, settings: scoring)
                let forms = key.variants.isEmpty ? "" : " +" + key.variants.map { "\"\(index.tokenizer.decode($0))\"" }.joined(separator: " ")
                printError(String(format: "key %-6@ logP %7.2f  count %6d  weight %6.2f  \"%@\"%@", key.source.rawValue,
                                  key.logProbability, count, pow(weight, scoring.alpha), index.tokenizer.decode(key.tokens), forms))
            }
        }
        if json {
            print(try jsonString(["query": text, "seconds": seconds, "hits": hits.map(SearchHitJSON.object)]))
            return
        }
        let bold = isatty(STDOUT_FILENO) != 0
        let render = { (segments: [(text: String, matched: Bool)]) in
            bold ? SearchHitJSON.marked(segments, open: "\u{1B}[1m", close: "\u{1B}[0m") : SearchHitJSON.marked(segments)
        }
        for hit in hits {
            let title = hit.titleSegments.contains(where: \.matched) ? render(hit.titleSegments) : hit.passage.displayTitle
            print("\(hit.rank). \(hit.passage.id)  \(title)  score \(String(format: "%.2f", hit.score))")
            print("   " + render(hit.segments))
            if denseOptions.dense { continue }
            print("   n-grams: " + hit.ngrams.prefix(8).map { "\"\($0.text)\" \(String(format: "%.1f", $0.score))" }.joined(separator: ", "))
        }
        printError(String(format: "%d passages in %.0f ms", hits.count, seconds * 1000))
    }
}

/// JSON form of a hit, shared by `query` and `serve`.
enum SearchHitJSON {
    /// Segments joined with the matched ones between `open` and `close` (their leading
    /// spaces outside: "the [NFL]"), trimmed.
    static func marked(_ segments: [(text: String, matched: Bool)], open: String = "[", close: String = "]") -> String {
        segments.map { segment in
            guard segment.matched else { return segment.text }
            let spaces = segment.text.prefix { $0 == " " }
            return spaces + open + segment.text.dropFirst(spaces.count) + close
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    static func object(_ hit: SearchHit) -> [String: Any] {
        [
            "rank": hit.rank, "id": hit.passage.id, "title": hit.passage.displayTitle, "score": hit.score,
            "text": hit.passage.text,
            "highlighted": marked(hit.segments),
            "highlighted_title": hit.titleSegments.isEmpty ? hit.passage.displayTitle : marked(hit.titleSegments),
            "ngrams": hit.ngrams.map { ["text": $0.text, "score": $0.score] as [String: Any] },
        ]
    }
}
