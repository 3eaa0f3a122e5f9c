import Autograd
import Foundation
import IconSynthesis
import Tensors
import Testing

/// Keyword-subset training prompts (`icons train --keyword-subsets`) and classifier reranking
/// (`icons generate --rerank`).
@Suite struct KeywordSubsetAndRerankTests {
    let words = ["camera", "video", "fill", "off", "heart", "star"]

    func builder(rate: Double) -> IconSequenceBuilder {
        var builder = IconSequenceBuilder(tokenizer: IconTokenizer(gridSize: 32, words: words))
        builder.dropTextRate = 0
        builder.fillInTheMiddleRate = 0
        builder.keywordSubsetRate = rate
        return builder
    }

    func entry(_ builder: IconSequenceBuilder, keywords: [String]) -> IconDataset.Entry {
        let t = builder.tokenizer
        let path = [IconTokenizer.moveTo, t.xBase + 1, t.yBase + 2, IconTokenizer.lineTo, t.xBase + 9, t.yBase + 9, IconTokenizer.endOfPath]
        return IconDataset.Entry(name: "a", source: "a.svg", keywords: keywords, tokens: path + [IconTokenizer.endOfIcon])
    }

    /// The text tokens of a training sequence (between BOS and the separator).
    func text(_ sequence: IconTrainingSequence) -> [Int] {
        Array(sequence.tokens[1..<sequence.tokens.firstIndex(of: IconTokenizer.separator)!])
    }

    @Test func subsetSizesFollowTheRate() {
        let builder = builder(rate: 0.5)
        let icon = entry(builder, keywords: ["camera", "video", "fill", "off"])
        let all = Set(builder.tokenizer.encodeText("camera video fill off"))
        var generator = SeededGenerator(seed: 4)
        var sizes = [Int](repeating: 0, count: 5)
        let draws = 8_000
        for _ in 0..<draws {
            let words = text(builder.sequence(for: icon, using: &generator))
            #expect(!words.isEmpty && Set(words).isSubset(of: all) && Set(words).count == words.count)
            sizes[words.count] += 1
        }
        // Half keep all four words; the other half keep 1...4 uniformly: 1/8 each for 1, 2, 3
        // and 1/2 + 1/8 for 4.
        for (size, share) in [(1, 0.125), (2, 0.125), (3, 0.125), (4, 0.625)] {
            let sigma = (share * (1 - share) / Double(draws)).squareRoot()
            #expect(abs(Double(sizes[size]) / Double(draws) - share) < 5 * sigma, "size \(size): \(sizes[size]) of \(draws)")
        }
    }

    @Test func rateZeroKeepsEveryKeywordAndOneWordIconsAreUnchanged() {
        let off = builder(rate: 0), on = builder(rate: 1)
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<200 {
            #expect(text(off.sequence(for: entry(off, keywords: ["camera", "video", "fill"]), using: &generator)).count == 3)
            #expect(text(on.sequence(for: entry(on, keywords: ["heart"]), using: &generator)) == on.tokenizer.encodeText("heart"))
        }
    }

    /// A classifier over `camera` and `heart` whose camera probability grows with the ink of the
    /// 8 x 8 raster: sigmoid(0.1 * inked pixels).
    func inkClassifier() -> IconClassifier {
        let classifier = IconClassifier(classes: ["camera", "heart"], rasterSize: 8, seed: 1)
        func set(_ variable: Variable, _ shape: [Int], _ entries: [(Int, Float)]) {
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            for (index, value) in entries { values[index] = value }
            variable.value = Tensor(shape: shape, values: values)
        }
        set(classifier.hidden.weight, classifier.hidden.weight.value.shape, (0..<64).map { ($0, 0.05) })   // row 0: pixels / 20
        set(classifier.feature.weight, classifier.feature.weight.value.shape, [(0, 1)])
        set(classifier.output.weight, classifier.output.weight.value.shape, [(0, 1), (64, -1)])
        for bias in [classifier.hidden.bias, classifier.feature.bias, classifier.output.bias].compactMap({ $0 }) {
            set(bias, bias.value.shape, [])
        }
        return classifier
    }

    @Test func rerankKeepsTheIconsMostLikeTheText() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel())
        let candidates = try sampleIcons(synthesizer, text: "camera", count: 12, seed: 11, temperature: 1)
        let ink = try candidates.map { try IconRaster.mask($0.icon.svgData(), size: 8).filter { $0 }.count }
        #expect(Set(ink).count > 3, "the random icons should differ in ink: \(ink)")
        let classifier = inkClassifier()
        let scores = try #require(try classifier.alignment(of: candidates, text: "camera"))
        for (score, pixels) in zip(scores, ink) {
            #expect(abs(score - 1 / (1 + exp(-0.1 * Double(pixels)))) < 1e-4)
        }
        let kept = try classifier.rerank(candidates, text: "camera", keep: 4).map(\.tokens)
        let byInk = candidates.indices.sorted { (ink[$0], -$0) > (ink[$1], -$1) }.prefix(4).map { candidates[$0].tokens }
        #expect(kept == byInk)
        // "heart" prefers the least ink; a text with no class word keeps the sampling order.
        let leastInk = candidates.indices.sorted { (ink[$0], $0) < (ink[$1], $1) }.prefix(4).map { candidates[$0].tokens }
        #expect(try classifier.rerank(candidates, text: "heart", keep: 4).map(\.tokens) == leastInk)
        #expect(try classifier.alignment(of: candidates, text: "bicycle") == nil)
        #expect(try classifier.rerank(candidates, text: "bicycle", keep: 4).map(\.tokens) == candidates.prefix(4).map(\.tokens))
    }

    @Test func rerankByBothSumsClassifierAndLikelihoodRanks() throws {
        let synthesizer = IconSynthesizer(model: try randomIconModel())
        let candidates = try sampleIcons(synthesizer, text: "camera", count: 12, seed: 11, temperature: 1)
        let classifier = inkClassifier()
        let alignment = try #require(try classifier.alignment(of: candidates, text: "camera"))
        let perToken = zip(try synthesizer.logLikelihoods(of: candidates, text: "camera"), candidates).map { $0 / Double($1.tokens.count) }
        let expected = IconSynthesizer.rankOrder([alignment, perToken], count: candidates.count).prefix(5).map { candidates[$0].tokens }
        let kept = try synthesizer.rerank(candidates, text: "camera", keep: 5, by: .both, classifier: classifier).map(\.tokens)
        #expect(kept == expected)
        // Here the two criteria disagree, so the combination differs from each alone.
        let byClassifier = try synthesizer.rerank(candidates, text: "camera", keep: 5, by: .classifier, classifier: classifier).map(\.tokens)
        let byLikelihood = try synthesizer.rerank(candidates, text: "camera", keep: 5, by: .likelihood, classifier: classifier).map(\.tokens)
        #expect(byClassifier == (try classifier.rerank(candidates, text: "camera", keep: 5)).map(\.tokens))
        #expect(kept != byClassifier && kept != byLikelihood)
    }
}
