import Foundation
import Generation
@testable import IconSynthesis
import NeuralNetworks
import Testing

/// `icons generate --rerank-by`: the model's log-likelihood of sampled icons and the rank-sum
/// combination with the keyword classifier.
@Suite struct RerankingTests {
    /// Log-probabilities summed token by token through the KV cache: an independent path to
    /// the batched, right-padded full-sequence scoring.
    func incrementalLogLikelihood(_ model: IconModel, prompt: [Int], icon: [Int]) throws -> Double {
        let sequence = Array((prompt + icon).prefix(model.contextLength + 1))
        var states = [model.transformer.makeCache()]
        var total = 0.0
        for position in 0..<(sequence.count - 1) {
            let logits = try model.transformer.logits(appending: [[sequence[position]]], to: &states)[0].last!
            guard position >= prompt.count - 1 else { continue }
            let top = logits.max()!
            let normaliser = Double(top) + log(logits.reduce(0.0) { $0 + exp(Double($1 - top)) })
            total += Double(logits[sequence[position + 1]]) - normaliser
        }
        return total
    }

    @Test func logLikelihoodsMatchIncrementalDecoding() throws {
        // A context of 40 cuts some samples off: those are scored up to the context only.
        let model = try randomIconModel(context: 40, seed: 5)
        let synthesizer = IconSynthesizer(model: model)
        let icons = try sampleIcons(synthesizer, text: "camera", count: 19, seed: 3, temperature: 1.2)   // three batches, the last partial
        let lengths = Set(icons.map(\.tokens.count))
        #expect(lengths.count > 3, "samples of different lengths exercise the padding: \(lengths)")
        let scores = try synthesizer.logLikelihoods(of: icons, text: "camera")
        let prompt = model.tokenizer.prompt(text: "camera")
        // An icon that fills the context is scored up to its end-of-icon, which the last
        // position predicts.
        #expect(icons.contains { prompt.count + $0.tokens.count == model.contextLength + 1 && synthesizer.scoredTokenCount(of: $0, text: "camera") == $0.tokens.count })
        for (icon, score) in zip(icons, scores) {
            let expected = try incrementalLogLikelihood(model, prompt: prompt, icon: icon.tokens)
            #expect(abs(score - expected) < 1e-3 * max(1, abs(expected)), "\(score) vs \(expected)")
            #expect(score < 0)
        }
        // The text conditions the score.
        let unconditional = try synthesizer.logLikelihoods(of: icons, text: "")
        #expect(zip(scores, unconditional).contains { abs($0 - $1) > 1e-4 })
    }

    @Test func rankOrderSumsRankPositions() {
        // Item 0: ranks 0 + 2; item 1: 1 + 0; item 2: 2 + 1; item 3: 3 + 3.
        #expect(IconSynthesizer.rankOrder([[9, 5, 4, 1], [0.1, 0.9, 0.5, -1]], count: 4) == [1, 0, 2, 3])
        // Equal scores share the better position: items 0 and 1 tie on the first list
        // (both 0) and item 2 has position 2, not 1. Totals: item 0: 0 + 2, item 1: 0 + 1,
        // item 2: 2 + 0; items 0 and 2 tie and keep index order.
        #expect(IconSynthesizer.rankOrder([[7, 7, 3], [1, 2, 3]], count: 3) == [1, 0, 2])
        // Equal totals keep index order; no lists keep index order.
        #expect(IconSynthesizer.rankOrder([[1, 2], [2, 1]], count: 2) == [0, 1])
        #expect(IconSynthesizer.rankOrder([], count: 3) == [0, 1, 2])
    }

    @Test func rerankByLikelihoodKeepsTheMostLikelyIconsPerToken() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel(seed: 7))
        let candidates = try sampleIcons(synthesizer, text: "heart", count: 10, seed: 21, temperature: 1.3)
        let perToken = zip(try synthesizer.logLikelihoods(of: candidates, text: "heart"), candidates).map { $0 / Double($1.tokens.count) }
        let best = candidates.indices.sorted { perToken[$0] > perToken[$1] }.prefix(3).map { candidates[$0].tokens }
        #expect(try synthesizer.rerank(candidates, text: "heart", keep: 3, by: .likelihood, classifier: nil).map(\.tokens) == best)
        // Without a classifier, `both` is likelihood alone and `classifier` keeps the sampling order.
        #expect(try synthesizer.rerank(candidates, text: "heart", keep: 3, by: .both, classifier: nil).map(\.tokens) == best)
        #expect(try synthesizer.rerank(candidates, text: "heart", keep: 3, by: .classifier, classifier: nil).map(\.tokens)
                == candidates.prefix(3).map(\.tokens))
    }

    @Test func rerankKeepsDistinctIconsBeforeRepeats() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel(seed: 7))
        let samples = try sampleIcons(synthesizer, text: "heart", count: 4, seed: 5, temperature: 1.3)
        try #require(Set(samples.map(\.tokens)).count == 4)
        // In sampling order (no classifier): repeats of the first icon are passed over while
        // distinct icons remain, then fill the rest.
        let candidates = [samples[0], samples[0], samples[1], samples[0], samples[2], samples[3]]
        let three = try synthesizer.rerank(candidates, text: "heart", keep: 3, by: .classifier, classifier: nil)
        #expect(three.map(\.tokens) == [samples[0], samples[1], samples[2]].map(\.tokens))
        let six = try synthesizer.rerank(candidates, text: "heart", keep: 6, by: .classifier, classifier: nil)
        #expect(six.map(\.tokens) == [samples[0], samples[1], samples[2], samples[3], samples[0], samples[0]].map(\.tokens))
    }
}

/// `icons eval`: IconShop's Uniqueness and Novelty against their definitions, counted here by
/// brute force, for raw samples and for reranked ones.
@Suite struct IconEvaluationTests {
    @Test func uniquenessAndNoveltyFollowTheirDefinitions() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel(seed: 7))
        var options = IconSamplingOptions()
        options.temperature = 1.2
        // What the evaluator will sample: prompt i uses seed + 1000 i.
        let heart = try synthesizer.generate(text: "heart", count: 5, options: options)
        options.seed = 1000
        let star = try synthesizer.generate(text: "star", count: 5, options: options)
        let samples = heart + star
        // Two of the samples are training icons; the held-out split holds none of them.
        let tokenizer = synthesizer.model.tokenizer
        var entries = [heart[0], star[3]].enumerated().map { index, icon in
            IconDataset.Entry(name: "t\(index)", source: "t\(index).svg", keywords: ["heart"], tokens: icon.tokens)
        }
        entries.append(IconDataset.Entry(name: "other", source: "other.svg", keywords: ["star"], tokens: tokenizer.encode(
            QuantizedIcon(gridSize: 32, paths: [[.move(GridPoint(1, 1)), .line(GridPoint(20, 5)), .line(GridPoint(4, 18))]]))))
        let dataset = IconDataset(gridSize: 32, words: tokenizer.words, entries: entries, report: IconDatasetReport())
        #expect(!dataset.entries.indices.contains(where: dataset.isHeldOut))
        var evaluator = IconEvaluator(synthesizer: synthesizer, dataset: dataset)
        options.seed = 0
        let report = try evaluator.evaluate(prompts: ["heart", "star"], samplesPerPrompt: 5, options: options)
        let training = Set(entries.map(\.tokens))
        let counts = samples.reduce(into: [[Int]: Int]()) { $0[$1.tokens, default: 0] += 1 }
        #expect(report.samples == 10 && report.validity == 1 && report.rerank == 1 && report.rerankBy == nil)
        #expect(report.novelty == Double(samples.filter { !training.contains($0.tokens) }.count) / 10)
        #expect(report.novelty <= 0.8)
        #expect(report.uniqueness == Double(samples.filter { counts[$0.tokens] == 1 }.count) / 10)
        // Reranked: the icons `icons generate --rerank 3` would keep for each prompt.
        evaluator.rerank = 3
        evaluator.rerankBy = .likelihood
        let reranked = try evaluator.evaluate(prompts: ["heart", "star"], samplesPerPrompt: 2, options: options)
        options.seed = 0
        var kept = try synthesizer.rerank(try synthesizer.generate(text: "heart", count: 6, options: options), text: "heart", keep: 2,
                                          by: .likelihood, classifier: nil)
        options.seed = 1000
        kept += try synthesizer.rerank(try synthesizer.generate(text: "star", count: 6, options: options), text: "star", keep: 2,
                                       by: .likelihood, classifier: nil)
        #expect(reranked.samples == 4 && reranked.rerank == 3 && reranked.rerankBy == "likelihood")
        #expect(reranked.novelty == Double(kept.filter { !training.contains($0.tokens) }.count) / 4)
    }
}
