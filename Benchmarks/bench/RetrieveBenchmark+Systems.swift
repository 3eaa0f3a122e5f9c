import Commands
import Foundation
import NGramRetrieval

/// `bench retrieve`'s accuracy comparison: every retrieval system on the same held-out
/// questions (the 20 % id-hash split `retrieve train` leaves out), in one run: BM25
/// (`scripts/bm25_run.py`), SEAL, NextToken dense and hybrid, and sentence-transformers
/// all-MiniLM-L6-v2 (`Benchmarks/peers/dense_peer.py`) on the index's own passages.
extension RetrieveBenchmark {
    /// One system's numbers; a system that could not run has only `error`.
    struct SystemResult: Codable {
        var system: String
        var queries: Int
        var recallAt1: Double?
        var recallAt10: Double?
        var mrrAt10: Double?
        /// Batched, question encoding included.
        var queriesPerSecond: Double?
        /// One question at a time (the first `--seal-queries`).
        var p50Milliseconds: Double?
        var error: String?

        static func failed(_ system: String, _ error: String) -> SystemResult {
            SystemResult(system: system, queries: 0, error: error)
        }
    }

    /// R@1, R@10 and MRR@10 of rankings against one relevant passage per question.
    static func scores(_ rankings: [[String]], gold: [String]) -> (Double, Double, Double) {
        var (r1, r10, mrr) = (0.0, 0.0, 0.0)
        for (ranking, passage) in zip(rankings, gold) {
            guard let position = ranking.prefix(10).firstIndex(of: passage) else { continue }
            r10 += 1
            if position == 0 { r1 += 1 }
            mrr += 1 / Double(position + 1)
        }
        let n = Double(max(gold.count, 1))
        return (r1 / n, r10 / n, mrr / n)
    }

    func result(_ system: String, _ rankings: [[String]], gold: [String], seconds: Double, latencies: [Double]) -> SystemResult {
        let (r1, r10, mrr) = Self.scores(rankings, gold: gold)
        let sorted = latencies.sorted()
        return SystemResult(system: system, queries: gold.count, recallAt1: r1, recallAt10: r10, mrrAt10: mrr,
                            queriesPerSecond: Double(gold.count) / seconds, p50Milliseconds: sorted.isEmpty ? nil : sorted[sorted.count / 2])
    }

    /// Every system on `selected`, the held-out questions.
    func compareSystems(_ retriever: Retriever, _ selected: [RetrievalQuery], settings: SearchSettings, scratch: URL) throws -> [SystemResult] {
        let gold = selected.map { $0.passageIDs.first ?? "" }
        let texts = selected.map(\.text)
        let ids = { (ranked: [ScoredDocument]) in ranked.map { retriever.index.passages[$0.document].id } }
        let timed = Array(texts.prefix(sealQueries))
        var systems: [SystemResult] = []

        // Peers, on the index's passages and the same questions.
        let queryFile = scratch.appendingPathComponent("heldout.queries.jsonl")
        let lines = try zip(selected, gold).map { query, passage in
            String(decoding: try JSONSerialization.data(withJSONObject: ["_id": query.id, "text": query.text, "passage_id": passage], options: [.sortedKeys]),
                   as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: queryFile, atomically: true, encoding: .utf8)
        let corpus = retriever.index.directory.appendingPathComponent("passages.jsonl").path
        if !python.isEmpty {
            let runFile = scratch.appendingPathComponent("bm25.run.jsonl")
            report("BM25 (scripts/bm25_run.py) on \(selected.count) held-out questions")
            switch runJSON(python, ["scripts/bm25_run.py", corpus, queryFile.path, runFile.path]) {
            case let .success(object):
                do {
                    let run = try EvalRun.read(runFile)
                    let (r1, r10, mrr) = Self.scores(selected.map { run[$0.id] ?? [] }, gold: gold)
                    systems.append(SystemResult(system: "BM25 (bm25s, Python)", queries: selected.count, recallAt1: r1, recallAt10: r10, mrrAt10: mrr,
                                                queriesPerSecond: object["queries_per_s"] as? Double))
                } catch { systems.append(.failed("BM25 (bm25s, Python)", "\(error)")) }
            case let .failure(message): systems.append(.failed("BM25 (bm25s, Python)", message))
            }
            report("dense peer (Benchmarks/peers/dense_peer.py) on \(selected.count) held-out questions")
            var arguments = ["Benchmarks/peers/dense_peer.py", corpus, queryFile.path, "--split", "all", "--latency-queries", "\(sealQueries)"]
            if let folder = try PretrainedEncoder.locate(explicit: encoder) { arguments += ["--model", folder.path] }
            switch runJSON(python, arguments) {
            case let .success(object):
                systems.append(SystemResult(system: "MiniLM dense (sentence-transformers)", queries: object["queries"] as? Int ?? 0,
                                            recallAt1: object["recall@1"] as? Double, recallAt10: object["recall@10"] as? Double,
                                            mrrAt10: object["mrr@10"] as? Double, queriesPerSecond: object["queries_per_s"] as? Double,
                                            p50Milliseconds: (object["latency_ms"] as? [String: Any])?["p50"] as? Double))
            case let .failure(message): systems.append(.failed("MiniLM dense (sentence-transformers)", message))
            }
        }

        // SEAL, batched as `retrieve eval` runs it, then one question at a time.
        report("SEAL on \(selected.count) held-out questions")
        var sealTop: [[ScoredDocument]] = []
        var start = Measurement.now()
        for first in stride(from: 0, to: texts.count, by: 32) {
            let batch = Array(texts[first..<min(first + 32, texts.count)])
            for evidence in try retriever.evidence(for: batch, settings: settings, prepack: true) {
                sealTop.append(retriever.rank(evidence: evidence, settings: settings.scoring, limit: HybridRanking.depth))
            }
        }
        let sealSeconds = Measurement.now() - start
        systems.append(result("NextToken SEAL", sealTop.map(ids), gold: gold, seconds: sealSeconds,
                              latencies: try timed.map { text in
                                  let t0 = Measurement.now()
                                  _ = try retriever.search(text, limit: 10, settings: settings)
                                  return (Measurement.now() - t0) * 1000
                              }))

        // Dense and hybrid: the Swift encoder (the embeddings are made once, into the index).
        let dense: DenseRetrieval
        do {
            dense = try DenseRetrieval(index: retriever.index, encoder: try PretrainedEncoder.load(explicit: encoder), progress: report)
        } catch {
            return systems + [.failed("NextToken dense", "\(error)"), .failed("NextToken hybrid", "\(error)")]
        }
        report("NextToken dense and hybrid on \(selected.count) held-out questions")
        start = Measurement.now()
        let denseTop = try dense.rank(texts)
        let denseSeconds = Measurement.now() - start
        systems.append(result("NextToken dense", denseTop.map(ids), gold: gold, seconds: denseSeconds,
                              latencies: try timed.map { text in
                                  let t0 = Measurement.now()
                                  _ = try dense.search(text, limit: 10, retriever: retriever, settings: settings)
                                  return (Measurement.now() - t0) * 1000
                              }))
        let fused = zip(denseTop, sealTop).map { ids(HybridRanking.combine(dense: $0, seal: $1, weight: denseWeight, limit: 100)) }
        systems.append(result("NextToken hybrid (w \(denseWeight))", fused, gold: gold, seconds: sealSeconds + denseSeconds,
                              latencies: try timed.map { text in
                                  let t0 = Measurement.now()
                                  _ = try dense.search(text, limit: 10, hybridWeight: denseWeight, retriever: retriever, settings: settings)
                                  return (Measurement.now() - t0) * 1000
                              }))
        return systems
    }

    /// Runs a Python script that prints one JSON object on stdout.
    func runJSON(_ python: String, _ arguments: [String]) -> PeerOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : "/usr/bin/env")
        process.arguments = python.hasPrefix("/") ? arguments : [python] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return .failure("\(python): \(error)") }
        let errorData = Box()
        let reader = Thread { errorData.data = errors.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        guard process.terminationStatus == 0, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let message = String(decoding: errorData.data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            return .failure("\(arguments.first ?? python) exited \(process.terminationStatus): \(message)")
        }
        return .success(object)
    }

    final class Box: @unchecked Sendable { var data = Data() }

    /// A Python peer's JSON object, or why there is none.
    enum PeerOutput {
        case success([String: Any])
        case failure(String)
    }

    func printSystems(_ systems: [SystemResult]) {
        guard !systems.isEmpty else { return }
        let width = max(systems.map(\.system.count).max() ?? 0, 6)
        func padded(_ text: String) -> String { String(repeating: " ", count: max(0, 11 - text.count)) + text }
        func cell(_ value: Double?, _ format: String) -> String { padded(value.map { String(format: format, $0) } ?? "-") }
        report("system".padding(toLength: width, withPad: " ", startingAt: 0) + ["R@1", "R@10", "MRR@10", "queries/s", "p50 ms"].map(padded).joined())
        for system in systems {
            let name = system.system.padding(toLength: width, withPad: " ", startingAt: 0)
            if let error = system.error { report("\(name)  \(error)"); continue }
            report(name + cell(system.recallAt1, "%.3f") + cell(system.recallAt10, "%.3f") + cell(system.mrrAt10, "%.3f")
                + cell(system.queriesPerSecond, "%.1f") + cell(system.p50Milliseconds, "%.1f"))
        }
        report("(\(systems.first { $0.error == nil }?.queries ?? 0) held-out questions; queries/s batched, p50 one question at a time over the first \(sealQueries))")
    }
}

/// A run file of `retrieve eval --fuse`: one `{"_id": ..., "hits": [...]}` a line.
enum EvalRun {
    struct Malformed: Error, CustomStringConvertible { var description: String }

    static func read(_ url: URL) throws -> [String: [String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var run: [String: [String]] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["_id"] as? String, let hits = object["hits"] as? [String] else {
                throw Malformed(description: "\(url.path):\(number + 1): expected {\"_id\": string, \"hits\": [string]}")
            }
            run[id] = hits
        }
        return run
    }
}
