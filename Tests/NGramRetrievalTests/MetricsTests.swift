import NGramRetrieval
import Testing

@Suite struct MetricsTests {
    @Test func handMadeQrels() {
        // q1: gold at rank 1; q2: gold at rank 3; q3: gold at rank 12; q4: gold missing;
        // q5: two gold passages at ranks 2 and 30.
        let filler = (0..<40).map { "x\($0)" }
        let rankings = [
            ["a"] + filler,
            ["x", "y", "b"] + filler,
            Array(filler.prefix(11)) + ["c"] + filler,
            filler,
            ["x", "d1"] + Array(filler.prefix(27)) + ["d2"],
        ]
        let relevant: [Set<String>] = [["a"], ["b"], ["c"], ["zzz"], ["d1", "d2"]]
        let metrics = RetrievalMetrics(rankings: rankings, relevant: relevant)
        #expect(metrics.queryCount == 5)
        #expect(abs(metrics.recall[1]! - 1.0 / 5) < 1e-12)
        #expect(abs(metrics.recall[5]! - (1 + 1 + 0 + 0 + 0.5) / 5) < 1e-12)
        #expect(abs(metrics.recall[20]! - (1 + 1 + 1 + 0 + 0.5) / 5) < 1e-12)
        #expect(abs(metrics.recall[100]! - (1 + 1 + 1 + 0 + 1) / 5) < 1e-12)
        #expect(abs(metrics.mrrAt10 - (1 + 1.0 / 3 + 0 + 0 + 0.5) / 5) < 1e-12)
        #expect(RetrievalMetrics(rankings: [["a"]], relevant: [[]]).queryCount == 0)
    }

    @Test func reciprocalRankFusion() {
        #expect(RankFusion.reciprocal([["a", "b", "c"], ["b", "c", "a"]]) == ["b", "a", "c"])
        #expect(RankFusion.reciprocal([["a"], ["b"]]) == ["a", "b"])
        // Weights: with k = 60, "a" (rank 1 in run 0, rank 3 in run 1) scores 1/61 + w/63 and
        // "c" (rank 3, rank 1) scores 1/63 + w/61; the second run wins from any weight above 1.
        let runs = [["a", "b", "c"], ["c", "b", "a"]]
        #expect(RankFusion.reciprocal(runs, weights: [1, 0.5]).first == "a")
        #expect(RankFusion.reciprocal(runs, weights: [1, 2]) == ["c", "b", "a"])
        #expect(RankFusion.reciprocal(runs, weights: [1, 0]) == ["a", "b", "c"])
    }

    @Test func queryKeysAndSplit() throws {
        let keys = QueryKeys.strings("who won Super Bowl 50?", maximumLength: 2)
        #expect(keys.contains(" Super Bowl") && keys.contains(" who won") && keys.contains(" Who Won") && keys.contains(" 50 ?"))
        #expect(!keys.contains(" won Super Bowl"))
        #expect(QueryKeys.words("Levi's Stadium, 2016.") == ["Levi's", "Stadium", ",", "2016", "."])
        // Possessives give the keys of both forms: as written, and split as spaCy splits them.
        #expect(QueryKeys.splitPossessives(["Tesla's", "father", "Panthers'", "don't", "'s", "'"])
            == ["Tesla", "'s", "father", "Panthers", "'", "don't", "'s", "'"])
        let possessive = QueryKeys.strings("Tesla's father", maximumLength: 2)
        #expect(possessive.contains(" Tesla's father") && possessive.contains(" Tesla") && possessive.contains(" 's father"))
        #expect(possessive.contains(" Tesla 's") && possessive.contains(" Tesla's"))
        // A typographic apostrophe (as in 40 passages of the SQuAD corpus) stays in its word.
        #expect(QueryKeys.words("Tesla’s ‘father’") == ["Tesla’s", "‘", "father’"])
        let typographic = QueryKeys.strings("Tesla’s father", maximumLength: 2)
        #expect(typographic.contains(" Tesla’s father") && typographic.contains(" Tesla") && typographic.contains(" ’s father"))
        let split = try QuerySplit(heldOutPercent: 20)
        let ids = (0..<2000).map { "q\($0)" }
        let held = ids.filter(split.isHeldOut).count
        #expect(held > 300 && held < 500)
        #expect(throws: RetrievalError.self) { try QuerySplit(heldOutPercent: 101) }
    }
}
