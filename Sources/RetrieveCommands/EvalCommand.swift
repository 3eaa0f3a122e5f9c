import ArgumentParser
import Foundation
import NGramRetrieval

/// `retrieve eval --index DIR --queries Q.jsonl --qrels Q.tsv --json`
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Recall@1/5/20/100, MRR@10 and queries/s of both SEAL aggregations (and a fusion with another run), or of dense and hybrid retrieval.")

    @OptionGroup var location: IndexLocation
    @Option(name: .long, help: "Queries JSONL {\"_id\",\"text\"[,\"passage_id\"]}.")
    var queries: String
    @Option(name: .long, help: "BEIR qrels TSV (default: the queries' passage_id).")
    var qrels: String?
    @Option(name: .long, help: "Which queries: all, train or heldout (by the id hash `retrieve train` uses).")
    var split: QuerySplit.Part = .all
    @Option(name: .long, help: "Held-out percentage of that hash split.")
    var heldOutPercent = 20
    @Option(name: .long, help: "Leave out the first N selected queries (e.g. those used to choose settings with --limit N).")
    var skip = 0
    @Option(name: .long, help: "Evaluate only the first N selected queries (after --skip).")
    var limit: Int?
    @Option(name: .long, help: "A run to fuse with (JSONL {\"_id\": query id, \"hits\": [passage ids, best first]}), e.g. BM25.")
    var fuse: String?
    @Option(name: .long, parsing: .upToNextOption,
            help: "Weight of the --fuse run against SEAL's (weight 1) in the reciprocal-rank fusion; several values (e.g. 1 2 4) report one fusion each (choose one with --limit N, report with --skip N).")
    var fuseWeight: [Double] = [1]
    @Flag(name: .long, help: "After evaluating, write the search settings used to <index>/generator/search.json, the defaults of query, eval and serve with this generator.")
    var saveSettings = false
    @Option(name: .long, help: "Write the rankings as a run JSONL here: SEAL's (intersective), or with --dense or --hybrid those of that mode (the first --dense-weight).")
    var runOutput: String?
    @Flag(name: .long, inversion: .prefixedNo,
          help: "Prefill each batch's query prompts as one packed batch (prepacking); same results, fewer wasted FLOPs.")
    var prepack = true
    @Option(name: .long, help: "Queries per prepacked batch.")
    var batchSize = 32
    @OptionGroup var search: SearchOptions
    @OptionGroup var denseOptions: DenseOptions
    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    func validate() throws {
        guard skip >= 0 else { throw ValidationError("--skip must be >= 0, got \(skip)") }
        guard !fuseWeight.isEmpty, fuseWeight.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ValidationError("--fuse-weight must be finite and >= 0, got \(fuseWeight.map { String($0) }.joined(separator: " "))")
        }
    }

    func run() async throws {
        let retriever = try search.loadRetriever(try location.resolved())
        let split = try QuerySplit(heldOutPercent: heldOutPercent)
        var selected = try QueryFiles.readQueries(URL(fileURLWithPath: queries)).filter { split.contains($0.id, in: self.split) }
        selected = Array(selected.dropFirst(skip))
        if let limit { selected = Array(selected.prefix(limit)) }
        guard !selected.isEmpty else { throw ValidationError("no queries selected") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be >= 1") }
        let judgements = try qrels.map { try QueryFiles.readQrels(URL(fileURLWithPath: $0)) }
        let relevant = selected.map { judgements?[$0.id] ?? Set($0.passageIDs) }
        let other = try fuse.map { try Self.readRun(URL(fileURLWithPath: $0)) }
        let settings = try search.settings(over: retriever.defaultSettings)
        let dense = try denseOptions.load(index: retriever.index)
        var denseRankings: [[ScoredDocument]] = []
        var denseSeconds = 0.0
        if let dense {
            let denseStart = Date()
            for batch in stride(from: 0, to: selected.count, by: 256).map({ selected[$0..<min($0 + 256, selected.count)] }) {
                denseRankings += try dense.rank(batch.map(\.text))
                printError("dense: \(denseRankings.count)/\(selected.count) queries")
            }
            denseSeconds = Date().timeIntervalSince(denseStart)
        }
        let runsSEAL = !denseOptions.dense
        var sealDocuments: [[ScoredDocument]] = []
        var rankings: [Aggregation: [[String]]] = [:]
        var keySeconds = 0.0
        var rankSeconds: [Aggregation: Double] = [:]
        let start = Date()
        var done = 0
        for batch in stride(from: 0, to: runsSEAL ? selected.count : 0, by: max(batchSize, 1)).map({ selected[$0..<min($0 + max(batchSize, 1), selected.count)] }) {
            let keyStart = Date()
            let evidence = try retriever.evidence(for: batch.map(\.text), settings: settings, prepack: prepack)
            keySeconds += Date().timeIntervalSince(keyStart)
            for item in evidence {
                for aggregation in Aggregation.allCases {
                    var scoring = settings.scoring
                    scoring.aggregation = aggregation
                    let rankStart = Date()
                    let ranked = retriever.rank(evidence: item, settings: scoring, limit: 100)
                    rankSeconds[aggregation, default: 0] += Date().timeIntervalSince(rankStart)
                    rankings[aggregation, default: []].append(ranked.map { retriever.index.passages[$0.document].id })
                    if aggregation == .intersective && dense != nil { sealDocuments.append(ranked) }
                }
            }
            done += batch.count
            let elapsed = Date().timeIntervalSince(start)
            let metrics = RetrievalMetrics(rankings: rankings[.intersective]!, relevant: Array(relevant.prefix(done)))
            printError(String(format: "%d/%d queries, %.1f queries/s, running R@1 %.3f MRR@10 %.3f, ETA %.0f s",
                              done, selected.count, Double(done) / elapsed, metrics.recall[1] ?? 0,
                              metrics.mrrAt10, elapsed / Double(done) * Double(selected.count - done)))
        }
        let settingsObject = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))
        var report: [String: Any] = ["queries": selected.count, "settings": settingsObject, "prepack": prepack, "key_seconds": keySeconds, "split": split.heldOutPercent > 0 ? self.split.rawValue : "all",
                                     "index": retriever.index.directory.path]
        let ids = { (ranked: [ScoredDocument]) in ranked.map { retriever.index.passages[$0.document].id } }
        var primaryRun = rankings[.intersective]
        if let dense {
            var entry: [String: Any] = RetrievalMetrics(rankings: denseRankings.map(ids), relevant: relevant).dictionary
            entry["queries_per_s"] = Double(selected.count) / denseSeconds
            report["dense"] = entry
            report["encoder"] = dense.encoder.directory.path
            if denseOptions.dense { primaryRun = denseRankings.map(ids) }
        }
        if denseOptions.hybrid {
            for (position, weight) in denseOptions.weights.enumerated() {
                let fused = zip(denseRankings, sealDocuments).map { ids(HybridRanking.combine(dense: $0, seal: $1, weight: weight, limit: 100)) }
                var entry: [String: Any] = RetrievalMetrics(rankings: fused, relevant: relevant).dictionary
                entry["dense_weight"] = weight
                entry["queries_per_s"] = Double(selected.count) / (keySeconds + rankSeconds[.intersective]! + denseSeconds)
                report[denseOptions.weights.count == 1 ? "hybrid" : "hybrid_w\(weight)"] = entry
                if position == 0 { primaryRun = fused }
            }
        }
        for aggregation in Aggregation.allCases where runsSEAL {
            var entry: [String: Any] = RetrievalMetrics(rankings: rankings[aggregation]!, relevant: relevant).dictionary
            entry["queries_per_s"] = Double(selected.count) / (keySeconds + rankSeconds[aggregation]!)
            report["seal_\(aggregation.rawValue)"] = entry
            if let other {
                for weight in fuseWeight {
                    let fused = zip(selected, rankings[aggregation]!).map { query, ranking in
                        RankFusion.reciprocal([ranking, other[query.id] ?? []], weights: [1, weight])
                    }
                    var metrics: [String: Any] = RetrievalMetrics(rankings: fused, relevant: relevant).dictionary
                    metrics["fused_run_weight"] = weight
                    let suffix = fuseWeight.count == 1 ? "" : "_w\(weight)"
                    report["fusion_\(aggregation.rawValue)\(suffix)"] = metrics
                }
            }
        }
        if let other {
            report["fused_run"] = RetrievalMetrics(rankings: selected.map { other[$0.id] ?? [] }, relevant: relevant).dictionary
        }
        if let runOutput {
            let lines = try zip(selected, primaryRun ?? []).map { query, ranking in
                String(decoding: try JSONSerialization.data(withJSONObject: ["_id": query.id, "hits": ranking], options: [.sortedKeys]), as: UTF8.self)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: runOutput, atomically: true, encoding: .utf8)
        }
        if saveSettings {
            let file = retriever.index.generatorDirectory.appendingPathComponent(SearchSettings.fileName)
            try settings.write(to: file)
            printError("wrote \(file.path)")
        }
        if json {
            print(try jsonString(report))
        } else {
            print(try Self.table(report))
        }
    }

    /// The report as text: one row of metrics per run (SEAL's two aggregations, fusions, the
    /// fused run), then the settings as one line of JSON.
    static func table(_ report: [String: Any]) throws -> String {
        let columns = ["recall@1", "recall@5", "recall@20", "recall@100", "mrr@10", "queries_per_s"]
        let headers = ["R@1", "R@5", "R@20", "R@100", "MRR@10", "queries/s"]
        let runs = report.keys.filter { report[$0] is [String: Any] && $0 != "settings" }.sorted { lhs, rhs in
            let order = { (key: String) in key.hasPrefix("seal_") ? 0 : key.hasPrefix("fusion_") ? 1 : 2 }
            return order(lhs) != order(rhs) ? order(lhs) < order(rhs) : lhs < rhs
        }
        let width = max(runs.map(\.count).max() ?? 0, 3)
        // Cells padded to their column, the last one not (no trailing spaces).
        func row(_ name: String, _ cells: [String]) -> String {
            let padded = [name] + cells
            return zip(padded, [width] + cells.map { _ in 9 }).dropLast().map { text, size in
                text + String(repeating: " ", count: max(0, size - text.count)) + "  "
            }.joined() + padded.last!
        }
        var lines = ["\(report["queries"] ?? 0) queries (split \(report["split"] ?? "all")), index \(report["index"] ?? "")"]
        lines.append(row("run", headers))
        for run in runs {
            let metrics = report[run] as! [String: Any]
            lines.append(row(run, columns.map { column in
                guard let value = metrics[column] as? Double else { return "-" }
                return String(format: column == "queries_per_s" ? "%.1f" : "%.3f", value)
            }))
        }
        if let settings = report["settings"] {
            let data = try JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys])
            lines.append("settings: " + String(decoding: data, as: UTF8.self))
        }
        return lines.joined(separator: "\n")
    }

    /// A run file: one `{"_id": ..., "hits": [...]}` object a line.
    static func readRun(_ url: URL) throws -> [String: [String]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ValidationError("\(url.path): cannot read the run file")
        }
        var run: [String: [String]] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["_id"] as? String, let hits = object["hits"] as? [String] else {
                throw ValidationError("\(url.path):\(number + 1): expected {\"_id\": string, \"hits\": [string]}")
            }
            run[id] = hits
        }
        return run
    }
}
