import Foundation
import NGramRetrieval
import Testing

/// The query-key ablations of `SearchSettings`: a fixed log P(n | q) for every query key, and
/// leaving out keys made only of stopwords.
@Suite struct QueryKeyAblationTests {
    static let query = "Who was the first ruler of Normandy?"

    func settings() -> SearchSettings {
        var settings = SearchSettings()
        settings.decodeBody = false
        settings.decodeTitles = false
        return settings
    }

    @Test func stopwordKeysAreRecognised() {
        #expect(QueryKeys.isStopwords(" Who was"))
        #expect(QueryKeys.isStopwords(" the ?"))
        #expect(!QueryKeys.isStopwords(" the first"))
        #expect(!QueryKeys.isStopwords(" Normandy"))
    }

    /// A fixed log-probability replaces the generator's for every query key, and only for them.
    @Test func fixedLogProbabilityReplacesTheGenerators() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        var fixed = settings()
        fixed.queryKeyLogProbability = -3
        let model = try retriever.keys(for: Self.query, settings: settings())
        let keys = try retriever.keys(for: Self.query, settings: fixed)
        #expect(keys.map(\.tokens) == model.map(\.tokens) && !keys.isEmpty)
        #expect(keys.allSatisfy { $0.logProbability == -3 && $0.source == .query })
        #expect(model.contains { $0.logProbability != -3 })
        fixed.decodeBody = true
        fixed.beamCount = 3
        fixed.bodyLength = 3
        let mixed = try retriever.keys(for: Self.query, settings: fixed)
        #expect(mixed.contains { $0.source == .body && $0.logProbability != -3 })
        fixed.queryKeyLogProbability = 0.5
        #expect(throws: RetrievalError.self) { try retriever.keys(for: Self.query, settings: fixed) }
    }

    /// Without stopword keys, no key is stopwords alone, and the keys with a content word stay.
    @Test func stopwordKeysCanBeLeftOut() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        var without = settings()
        without.stopwordQueryKeys = false
        let text = { (key: NGramKey) in TinyCorpus.tokenizer.decode(key.tokens) }
        let all = try retriever.keys(for: Self.query, settings: settings()).map(text)
        let kept = try retriever.keys(for: Self.query, settings: without).map(text)
        #expect(all.contains(" the") && all.contains(" Normandy"))
        #expect(!kept.contains(" the") && !kept.contains(" of") && kept.contains(" Normandy") && kept.contains(" first ruler"))
        #expect(Set(kept) == Set(all.filter { !QueryKeys.isStopwords($0) }))
    }

    /// The copy floor mixes e^floor into every query key's probability (and only theirs):
    /// log P becomes log(P + e^floor), at least the floor, at most 0.
    @Test func copyFloorLiftsQueryKeysOnly() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        var floored = settings()
        floored.decodeBody = true
        floored.beamCount = 3
        floored.bodyLength = 3
        let plain = try retriever.keys(for: Self.query, settings: floored)
        floored.queryKeyFloor = -4
        let lifted = try retriever.keys(for: Self.query, settings: floored)
        #expect(lifted.map(\.tokens) == plain.map(\.tokens))
        for (before, after) in zip(plain, lifted) {
            if before.source == .query {
                let expected = min(log(exp(before.logProbability) + exp(-4)), 0)
                #expect(abs(after.logProbability - expected) < 1e-9 && after.logProbability >= -4)
            } else {
                #expect(after.logProbability == before.logProbability)
            }
        }
        #expect(plain.contains { $0.source == .query && $0.logProbability < -5 }, "the test needs a key below the floor")
        floored.queryKeyFloor = 1
        #expect(throws: RetrievalError.self) { try retriever.keys(for: Self.query, settings: floored) }
    }
}
