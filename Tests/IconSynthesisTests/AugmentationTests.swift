import Synchronization
import Foundation
@testable import IconSynthesis
import Tensors
import Testing

/// Geometric augmentation (`icons train --augment`) and fine-tuning (`icons train --init-from`).
@Suite struct AugmentationTests {
    let tokenizer = IconTokenizer(gridSize: 40, words: ["camera", "heart"])

    /// A square from (10, 12) to (30, 28) and a point path at (20, 20).
    var icon: [Int] {
        let t = tokenizer
        func point(_ x: Int, _ y: Int) -> [Int] { [t.xBase + x, t.yBase + y] }
        return [IconTokenizer.moveTo] + point(10, 12) + [IconTokenizer.lineTo] + point(30, 12) + [IconTokenizer.lineTo] + point(30, 28)
            + [IconTokenizer.cubicTo] + point(25, 28) + point(15, 28) + point(10, 28) + [IconTokenizer.endOfPath]
            + [IconTokenizer.moveTo] + point(20, 20) + [IconTokenizer.lineTo] + point(21, 20) + [IconTokenizer.endOfPath, IconTokenizer.endOfIcon]
    }

    func points(_ tokens: [Int]) -> [(x: Int, y: Int)] {
        let xs = tokens.filter(tokenizer.isX).map { $0 - tokenizer.xBase }
        let ys = tokens.filter(tokenizer.isY).map { $0 - tokenizer.yBase }
        return Array(zip(xs, ys)).map { (x: $0.0, y: $0.1) }
    }

    @Test func augmentedIconsKeepTheirStructureAndStayOnTheGrid() throws {
        var builder = IconSequenceBuilder(tokenizer: tokenizer)
        builder.augmentation = 0.3
        var generator = SeededGenerator(seed: 5)
        var widths = Set<Int>(), lefts = Set<Int>()
        for _ in 0..<300 {
            let out = builder.augmented(icon, using: &generator)
            #expect(out.count == icon.count)
            // Commands and structure tokens are untouched; x stays x and y stays y.
            for (a, b) in zip(icon, out) {
                #expect(tokenizer.isX(a) == tokenizer.isX(b) && tokenizer.isY(a) == tokenizer.isY(b))
                if !tokenizer.isX(a) && !tokenizer.isY(a) { #expect(a == b) }
            }
            let p = points(out)
            #expect(p.allSatisfy { (0..<40).contains($0.x) && (0..<40).contains($0.y) })
            // One map for the whole icon: the square's width and height scale by the same factor
            // (up to rounding), and it is within [1 - a, 1 + a] of the original 20 x 16.
            let width = Double(p[1].x - p[0].x), height = Double(p[2].y - p[1].y)
            #expect(abs(width / 20 - height / 16) < 0.15)
            #expect(width >= 20 * 0.7 - 1 && width <= 20 * 1.3 + 1)
            _ = try tokenizer.decode(out)
            widths.insert(Int(width)); lefts.insert(p[0].x)
        }
        // It really varies the icons.
        #expect(widths.count > 5 && lefts.count > 5)
    }

    @Test func noAugmentationLeavesSequencesAsBefore() {
        let entry = IconDataset.Entry(name: "a", source: "a.svg", keywords: ["camera"], tokens: icon)
        let plain = IconSequenceBuilder(tokenizer: tokenizer)
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        var augmenting = plain
        augmenting.augmentation = 0.2
        var differs = false
        for _ in 0..<50 {
            let a = plain.sequence(for: entry, using: &first)
            #expect(a.tokens.filter { tokenizer.isX($0) || tokenizer.isY($0) }.sorted()
                == icon.filter { tokenizer.isX($0) || tokenizer.isY($0) }.sorted())
            if augmenting.sequence(for: entry, using: &second).tokens != a.tokens { differs = true }
        }
        #expect(differs)
    }

    @Test func anIconSpanningTheGridIsOnlyShrunkOrKeptInShape() {
        // Full width, a third of the height: it may only shrink (never be clipped by the grid),
        // and keeps its aspect ratio.
        let t = tokenizer
        let wide = [IconTokenizer.moveTo, t.xBase, t.yBase + 10, IconTokenizer.lineTo, t.xBase + 39, t.yBase + 22,
                    IconTokenizer.endOfPath, IconTokenizer.endOfIcon]
        var builder = IconSequenceBuilder(tokenizer: tokenizer)
        builder.augmentation = 0.5
        var generator = SeededGenerator(seed: 1)
        var shrunk = false
        for _ in 0..<200 {
            let p = points(builder.augmented(wide, using: &generator))
            let width = Double(p[1].x - p[0].x), height = Double(p[1].y - p[0].y)
            #expect(width <= 39 && width >= 39 * 0.5 - 1)
            #expect(abs(height / width - 12.0 / 39) < 0.06, "\(width) x \(height)")
            #expect(p.allSatisfy { (0..<40).contains($0.x) && (0..<40).contains($0.y) })
            if width < 35 { shrunk = true }
        }
        #expect(shrunk)
    }

    /// Runs without --augment draw exactly what they drew before the option existed: the
    /// generator's state after 40 sequences is pinned (a draw for the augmentation would move it).
    @Test func noAugmentationDrawsNothing() {
        let entry = IconDataset.Entry(name: "a", source: "a.svg", keywords: ["camera", "heart"], tokens: icon)
        var builder = IconSequenceBuilder(tokenizer: tokenizer)
        builder.fillInTheMiddleRate = 0.5
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<40 { _ = builder.sequence(for: entry, using: &generator) }
        #expect(generator.next() == Self.stateAfterFortySequences)
    }

    static let stateAfterFortySequences: UInt64 = 8_918_041_951_286_085_695

    /// A dataset of 24 small two-path icons over `words`.
    func dataset(words: [String]) -> IconDataset {
        let t = IconTokenizer(gridSize: 40, words: words)
        let entries = (0..<24).map { i -> IconDataset.Entry in
            let a = i % 17, b = (i * 7) % 23
            let tokens = [IconTokenizer.moveTo, t.xBase + a, t.yBase + b, IconTokenizer.lineTo, t.xBase + a + 10, t.yBase + b,
                          IconTokenizer.lineTo, t.xBase + a + 10, t.yBase + b + 12, IconTokenizer.endOfPath,
                          IconTokenizer.moveTo, t.xBase + 5, t.yBase + 5, IconTokenizer.lineTo, t.xBase + 30, t.yBase + 31,
                          IconTokenizer.endOfPath, IconTokenizer.endOfIcon]
            return IconDataset.Entry(name: "icon\(i)", source: "icon\(i).svg", keywords: [words[i % 2]], tokens: tokens)
        }
        return IconDataset(gridSize: 40, words: words, entries: entries, report: IconDatasetReport())
    }

    func options(_ directory: URL, steps: Int, learningRate: Float) -> IconTrainingOptions {
        var options = IconTrainingOptions()
        options.model.flavor = .llama
        options.model.layerCount = 1
        options.model.hiddenSize = 16
        options.model.headCount = 2
        options.model.contextLength = 64
        options.batchSize = 4
        options.training.steps = steps
        options.training.learningRate = learningRate
        options.training.minimumLearningRate = learningRate
        options.training.warmupSteps = 0
        options.training.checkpointInterval = 0
        options.training.validationInterval = 0
        options.training.outputDirectory = directory.path
        options.halfPrecision = false
        options.augmentation = 0.2
        return options
    }

    func weights(_ directory: URL) throws -> [String: [Float]] {
        let model = try IconModel.load(from: directory.appendingPathComponent("model"))
        return Dictionary(uniqueKeysWithValues: model.transformer.parameters.map { ($0.name, $0.value.scalars) })
    }

    @Test func initFromStartsAFineTuneFromTheModelsWeights() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("icons-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = dataset(words: ["camera", "heart"])
        let first = scratch.appendingPathComponent("first")
        _ = try IconTrainingRun(dataset: data, options: options(first, steps: 3, learningRate: 1e-2)).run(progress: { _ in })
        // A fine-tune with a vanishing learning rate keeps the weights it started from, and takes
        // the starting model's shape over the options' (hidden 32 here).
        let tuned = scratch.appendingPathComponent("tuned")
        var fineTune = options(tuned, steps: 1, learningRate: 1e-12)
        fineTune.model.hiddenSize = 32
        fineTune.model.dropout = 0.2   // a training setting: it does apply to the fine-tune
        fineTune.training.seed = 99
        fineTune.initialModel = first.appendingPathComponent("model")
        _ = try IconTrainingRun(dataset: data, options: fineTune).run(progress: { _ in })
        let tunedModel = try IconModel.load(from: tuned.appendingPathComponent("model"))
        #expect(tunedModel.transformer.configuration.hiddenSize == 16 && tunedModel.transformer.configuration.dropout == 0.2)
        let before = try weights(first), after = try weights(tuned)
        #expect(before.keys.sorted() == after.keys.sorted())
        for (name, values) in before {
            let other = after[name]!
            #expect(values.count == other.count)
            #expect(zip(values, other).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(name) moved")
        }
        // Without --init-from, the same seed and options start from a random model instead.
        let fresh = scratch.appendingPathComponent("fresh")
        var plain = options(fresh, steps: 1, learningRate: 1e-12)
        plain.training.seed = 99
        _ = try IconTrainingRun(dataset: data, options: plain).run(progress: { _ in })
        let random = try weights(fresh)
        #expect(random.contains { name, values in before[name] != values })
    }

    @Test func initFromAModelOfAnotherVocabularyIsAnError() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("icons-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let first = scratch.appendingPathComponent("first")
        _ = try IconTrainingRun(dataset: dataset(words: ["camera", "heart"]), options: options(first, steps: 1, learningRate: 1e-3))
            .run(progress: { _ in })
        var other = options(scratch.appendingPathComponent("other"), steps: 1, learningRate: 1e-3)
        other.initialModel = first.appendingPathComponent("model")
        #expect {
            _ = try IconTrainingRun(dataset: dataset(words: ["camera", "heart", "star"]), options: other).run(progress: { _ in })
        } throws: { error in
            "\(error)".contains("--init-from") && "\(error)".contains("3 words")
        }
    }

    @Test func resumeKeepsTheRunsDataSettings() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("icons-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = dataset(words: ["camera", "heart"])
        func settings(_ directory: URL, steps: Int) -> IconTrainingOptions {
            var settings = options(directory, steps: steps, learningRate: 1e-2)
            settings.augmentation = 0.3
            settings.keywordSubsetRate = 0.5
            settings.training.checkpointInterval = 2
            return settings
        }
        let straight = scratch.appendingPathComponent("straight")
        _ = try IconTrainingRun(dataset: data, options: settings(straight, steps: 4)).run(progress: { _ in })
        // Stopped after 2 steps, then resumed without the augmentation and keyword-subset options:
        // the run's own settings continue, and it ends where the uninterrupted run ends.
        let resumed = scratch.appendingPathComponent("resumed")
        _ = try IconTrainingRun(dataset: data, options: settings(resumed, steps: 2)).run(progress: { _ in })
        var plain = options(resumed, steps: 4, learningRate: 1e-2)
        plain.training.checkpointInterval = 2
        plain.resume = true
        let lines = Mutex<[String]>([])
        _ = try IconTrainingRun(dataset: data, options: plain).run(progress: { line in lines.withLock { $0.append(line) } })
        #expect(lines.withLock { $0 }.contains { $0.contains("resuming with the run's") && $0.contains("augmentation 0.3") })
        let expected = try weights(straight), actual = try weights(resumed)
        for (name, values) in expected {
            #expect(zip(values, actual[name]!).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(name) differs")
        }
        // Without the settings file (a run made before it), the options given apply.
        try FileManager.default.removeItem(at: resumed.appendingPathComponent("icon-data-settings.json"))
        plain.training.steps = 5
        let quiet = Mutex<[String]>([])
        _ = try IconTrainingRun(dataset: data, options: plain).run(progress: { line in quiet.withLock { $0.append(line) } })
        #expect(!quiet.withLock { $0 }.contains { $0.contains("resuming with the run's") })
    }
}
