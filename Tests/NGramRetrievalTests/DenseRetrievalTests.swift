import Foundation
import NGramRetrieval
import NeuralNetworks
import Testing

/// Dense retrieval with the tiny random BERT of `Tests/Fixtures/bert-tiny` as the encoder.
@Suite struct DenseRetrievalTests {
    static let encoder: SentenceEncoder = try! SentenceEncoder(directory: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/bert-tiny"))
    static let questions = ["Who won Super Bowl 50?", "What is the capital of Poland?", "Who discovered oxygen?", "steam engine condenser"]

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let norms = a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() * b.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return dot / norms
    }

    @Test func denseSearchEqualsBruteForceCosineRanking() throws {
        let passages = TinyCorpus.passages
        let dense = try DenseIndex.build(passages: passages, encoder: Self.encoder)
        let passageVectors = try Self.encoder.embed(passages.map(DenseIndex.passageText))
        let queryVectors = try Self.encoder.embed(Self.questions)
        let ranked = try dense.rank(queryVectors, limit: passages.count)
        let top3 = try dense.rank(queryVectors, limit: 3)
        for (query, hits) in zip(queryVectors, ranked) {
            let expected = passageVectors.indices.map { ($0, Self.cosine(query, passageVectors[$0])) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            #expect(hits.map(\.document) == expected.map(\.0))
            for (hit, truth) in zip(hits, expected) { #expect(abs(hit.score - truth.1) < 1e-5) }
        }
        #expect(top3.map { $0.map(\.document) } == ranked.map { Array($0.prefix(3)).map(\.document) })
        // The rankings differ between questions (the test is not passing on a constant order).
        #expect(Set(ranked.map { $0.map(\.document) }).count > 1)
    }

    @Test func storedEmbeddingsRoundTripAndAreMadeOnce() throws {
        try TinyCorpus.withTemporaryDirectory("dense") { folder in
            let index = try RetrievalIndex(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer, directory: folder)
            let file = folder.appendingPathComponent(DenseIndex.fileName)
            let made = try DenseIndex.open(index: index, encoder: Self.encoder)
            #expect(FileManager.default.fileExists(atPath: file.path))
            let read = try DenseIndex.read(file)
            #expect(read.count == made.count && read.dimension == made.dimension && read.encoderName == "bert-tiny")
            #expect(read.probe == made.probe)
            #expect(read.vectors.scalars == made.vectors.scalars)
            let reopened = try DenseIndex.open(index: index, encoder: Self.encoder)
            #expect(reopened.vectors.scalars == made.vectors.scalars)
        }
    }

    @Test func damagedOrForeignEmbeddingsGiveAOneLineErrorNamingTheFile() throws {
        try TinyCorpus.withTemporaryDirectory("dense-damaged") { folder in
            let index = try RetrievalIndex(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer, directory: folder)
            let file = folder.appendingPathComponent(DenseIndex.fileName)
            let dense = try DenseIndex.build(passages: TinyCorpus.passages, encoder: Self.encoder)
            try dense.write(to: file)
            let bytes = try Data(contentsOf: file)
            func expectError(_ data: Data, mentioning words: String) throws {
                try data.write(to: file)
                do {
                    _ = try DenseIndex.open(index: index, encoder: Self.encoder)
                    Issue.record("no error for \(words)")
                } catch {
                    let message = "\(error)"
                    #expect(message.contains(file.path) && message.contains(words) && !message.contains("\n"), "\(message)")
                }
            }
            var flipped = bytes
            flipped[bytes.count - 5] ^= 0x40
            try expectError(flipped, mentioning: "checksum")
            try expectError(bytes.prefix(bytes.count - 8), mentioning: "truncated")
            try expectError(Data("not embeddings".utf8), mentioning: "NTDENSE")
            // Another encoder's file (another probe) is refused, as is one of another passage count.
            var probe = dense.probe
            probe.reverse()
            let rows = (0..<dense.count).map { Array(dense.vectors.scalars[($0 * dense.dimension)..<(($0 + 1) * dense.dimension)]) }
            try DenseIndex(vectors: rows, probe: probe, encoderName: "other").write(to: file)
            try expectError(try Data(contentsOf: file), mentioning: "made by encoder 'other'")
            try DenseIndex(vectors: Array(rows.dropLast()), probe: dense.probe, encoderName: "bert-tiny").write(to: file)
            try expectError(try Data(contentsOf: file), mentioning: "11 embeddings for 12 passages")
            // The intact file still reads.
            try bytes.write(to: file)
            #expect(try DenseIndex.open(index: index, encoder: Self.encoder).count == 12)
        }
    }

    @Test func hybridWithWeightOneOrZeroIsThePureMode() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: try TinyCorpus.generator())
        var settings = SearchSettings()
        settings.beamCount = 3
        settings.queryKeyLogProbability = -0.5  // query keys weighted by corpus frequency: the untrained generator gives no weight
        let dense = try DenseIndex.build(passages: TinyCorpus.passages, encoder: Self.encoder)
        for question in Self.questions {
            let denseHits = try dense.rank(try Self.encoder.embed([question]), limit: 100)[0]
            let sealHits = retriever.rank(evidence: try retriever.evidence(for: question, settings: settings), settings: settings.scoring, limit: 100)
            #expect(!sealHits.isEmpty)
            let pureDense = HybridRanking.combine(dense: denseHits, seal: sealHits, weight: 1, limit: denseHits.count)
            let pureSEAL = HybridRanking.combine(dense: denseHits, seal: sealHits, weight: 0, limit: sealHits.count)
            #expect(pureDense.map(\.document) == denseHits.map(\.document))
            #expect(pureSEAL.map(\.document) == sealHits.map(\.document))
            #expect(pureSEAL.map { $0.ngrams.count } == sealHits.map { $0.ngrams.count })
        }
    }

    @Test func hybridCombinesNormalisedScores() {
        func scored(_ pairs: [(Int, Double)]) -> [ScoredDocument] {
            pairs.map { ScoredDocument(document: $0.0, score: $0.1) }
        }
        // Dense: 0 -> 1, 1 -> 0.5, 2 -> 0. SEAL: 2 -> 1, 3 -> 0.5, 0 -> 0.
        let dense = scored([(0, 0.9), (1, 0.7), (2, 0.5)])
        let seal = scored([(2, 30), (3, 20), (0, 10)])
        let fused = HybridRanking.combine(dense: dense, seal: seal, weight: 0.3, limit: 10)
        // 0: 0.3; 1: 0.15; 2: 0.7; 3: 0.35.
        #expect(fused.map(\.document) == [2, 3, 0, 1])
        #expect(zip(fused.map(\.score), [0.7, 0.35, 0.3, 0.15]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(HybridRanking.combine(dense: dense, seal: seal, weight: 0.3, limit: 2).map(\.document) == [2, 3])
    }
}
