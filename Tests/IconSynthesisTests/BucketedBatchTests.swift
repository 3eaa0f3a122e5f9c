import IconSynthesis
import Tensors
import Testing

/// Length-bucketed training batches (`icons train --bucket-pool`).
@Suite struct BucketedBatchTests {
    /// 200 icons of one to twenty paths (sequence lengths from about 10 to 140 tokens).
    func entries(_ tokenizer: IconTokenizer) -> [IconDataset.Entry] {
        (0..<200).map { i in
            let path = [IconTokenizer.moveTo, tokenizer.xBase + 1, tokenizer.yBase + 2,
                        IconTokenizer.lineTo, tokenizer.xBase + 3, tokenizer.yBase + i % 7, IconTokenizer.endOfPath]
            let paths = (0...(i * 7919) % 20).flatMap { _ in path }
            return IconDataset.Entry(name: "icon\(i)", source: "icon\(i).svg", keywords: ["camera"], tokens: paths + [IconTokenizer.endOfIcon])
        }
    }

    func padding(_ batch: [IconTrainingSequence]) -> Int {
        let longest = batch.map(\.tokens.count).max()!
        return batch.reduce(0) { $0 + longest - $1.tokens.count }
    }

    @Test func poolOneIsPlainRandomBatches() throws {
        let tokenizer = IconTokenizer(gridSize: 32, words: ["camera"])
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let icons = entries(tokenizer)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        let batch = builder.randomBatch(from: icons, indices: Array(icons.indices), batchSize: 8, bucketPool: 1, using: &a)
        let plain = (0..<8).map { _ in builder.sequence(for: icons[Int.random(in: 0..<icons.count, using: &b)], using: &b) }
        #expect(batch == plain)
    }

    @Test func bucketedBatchesCarryLessPaddingAndAreReproducible() throws {
        let tokenizer = IconTokenizer(gridSize: 32, words: ["camera"])
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let icons = entries(tokenizer)
        var plainPadding = 0, bucketedPadding = 0
        var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 1), g3 = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            plainPadding += padding(builder.randomBatch(from: icons, indices: Array(icons.indices), batchSize: 8, bucketPool: 1, using: &g1))
            let batch = builder.randomBatch(from: icons, indices: Array(icons.indices), batchSize: 8, bucketPool: 8, using: &g2)
            #expect(batch.count == 8)
            #expect(batch == builder.randomBatch(from: icons, indices: Array(icons.indices), batchSize: 8, bucketPool: 8, using: &g3))
            bucketedPadding += padding(batch)
        }
        #expect(bucketedPadding * 4 < plainPadding, "padding: bucketed \(bucketedPadding), plain \(plainPadding)")
    }

    @Test func everyIconKeepsItsChanceOfBeingDrawn() throws {
        // Icon i is long when i is even: bucketing must not favour short or long icons.
        let tokenizer = IconTokenizer(gridSize: 32, words: ["camera"])
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let short = [IconTokenizer.moveTo, tokenizer.xBase, tokenizer.yBase, IconTokenizer.lineTo, tokenizer.xBase + 1, tokenizer.yBase + 1, IconTokenizer.endOfPath]
        let icons = (0..<10).map { i in
            IconDataset.Entry(name: "\(i)", source: "\(i).svg", keywords: [], tokens: Array(repeating: short, count: i % 2 == 0 ? 12 : 1).flatMap { $0 } + [IconTokenizer.endOfIcon])
        }
        var generator = SeededGenerator(seed: 9)
        var long = 0, total = 0
        for _ in 0..<2_000 {
            for sequence in builder.randomBatch(from: icons, indices: Array(icons.indices), batchSize: 4, bucketPool: 4, using: &generator) {
                total += 1
                if sequence.tokens.count > 40 { long += 1 }
            }
        }
        // 8,000 draws of a fair coin: standard deviation 45, so 5 sigma is 225.
        #expect(abs(long - total / 2) < 225, "long icons drawn \(long) of \(total) times")
    }
}
