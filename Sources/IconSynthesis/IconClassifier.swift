// Our stand-in for the CLIP score and FID of IconShop's evaluation (Wu et al. 2023,
// section 4.2), whose pretrained weights cannot be downloaded here: a keyword classifier
// trained on rendered training icons. Its class probability of the prompt keyword is the
// text-alignment score; its penultimate features feed a Fréchet distance (Heusel et al. 2017).

import Autograd
import FileIO
import Foundation
import NeuralNetworks
import Tensors
import Training

/// A multilayer perceptron from a binary icon raster to keyword classes.
///
/// ```swift
/// let classifier = try IconClassifier.train(dataset: dataset, seed: 0)
/// try classifier.save(to: URL(fileURLWithPath: "assets/icons/classifier"))
/// let probabilities = try classifier.probabilities(masks)          // [N][K]
/// ```
public final class IconClassifier: Module {
    /// `[256, S*S]`: the raster to 256 ReLU units.
    public let hidden: Linear
    /// `[64, 256]`: the 64 ReLU penultimate features (the Fréchet distance's input).
    public let feature: Linear
    /// `[K, 64]`: the class logits.
    public let output: Linear
    /// The keyword of each class.
    public let classes: [String]
    /// Side of the input raster.
    public let rasterSize: Int

    /// Style and filler words that say nothing about what an icon shows.
    static let stopWords: Set<String> = ["fill", "outline", "solid", "line", "regular", "brands", "variant", "multiple",
                                         "off", "to", "alt", "o", "sharp", "round", "filled", "and", "of", "with", "s"]

    /// An untrained classifier for `classes` over `rasterSize x rasterSize` masks, initialised from `seed`.
    public init(classes: [String], rasterSize: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let inputs = rasterSize * rasterSize
        hidden = Linear(inputSize: inputs, outputSize: 256, generator: &generator)
        feature = Linear(inputSize: 256, outputSize: 64, generator: &generator)
        output = Linear(inputSize: 64, outputSize: classes.count, generator: &generator)
        self.classes = classes
        self.rasterSize = rasterSize
        assignParameterNames()
    }

    static func input(_ masks: [[Bool]]) -> Variable {
        let side = masks.first?.count ?? 0
        return Variable(Tensor(shape: [masks.count, side], values: masks.flatMap { $0.map { $0 ? 1 : 0 } }))   // [N, S*S]
    }

    /// Penultimate features `[N, 64]`.
    func features(_ x: Variable) throws -> Variable { try feature(try hidden(x).relu()).relu() }

    /// Feature vectors of masks (no gradient).
    public func featureVectors(_ masks: [[Bool]]) throws -> [[Float]] {
        let values = try Tape.withoutGradient { try features(Self.input(masks)) }.value.scalars
        return (0..<masks.count).map { Array(values[($0 * 64)..<(($0 + 1) * 64)]) }
    }

    /// Class probabilities `[N][K]`.
    public func probabilities(_ masks: [[Bool]]) throws -> [[Float]] {
        let values = try Tape.withoutGradient { try output(features(Self.input(masks))).softmax() }.value.scalars
        return (0..<masks.count).map { Array(values[($0 * classes.count)..<(($0 + 1) * classes.count)]) }
    }

    /// Trains on the dataset's non-held-out icons: each (icon, keyword in the class list)
    /// pair is one example; the `classCount` most frequent content keywords are the classes.
    public static func train(dataset: IconDataset, classCount: Int = 128, rasterSize: Int = 32, steps: Int = 1500,
                             batchSize: Int = 128, seed: UInt64 = 0, progress: (String) -> Void = { _ in }) throws -> IconClassifier {
        var counts: [String: Int] = [:]
        for entry in dataset.entries { for word in entry.keywords where !stopWords.contains(word) && Int(word) == nil { counts[word, default: 0] += 1 } }
        let classes = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(classCount).map(\.key)
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let tokenizer = dataset.tokenizer
        var masks: [[Bool]] = [], examples: [(Int, Int)] = []
        for (i, entry) in dataset.entries.enumerated() where !dataset.isHeldOut(i) {
            let labels = entry.keywords.compactMap { classIndex[$0] }
            guard !labels.isEmpty, let icon = try? tokenizer.decode(entry.tokens),
                  let mask = try? IconRaster.mask(icon.svgData(), size: rasterSize) else { continue }
            for label in labels { examples.append((masks.count, label)) }
            masks.append(mask)
            if masks.count % 2000 == 0 { progress("rendered \(masks.count) icons") }
        }
        guard !examples.isEmpty else { throw IconError.invalidArgument(name: "--data", detail: "no icon carries a class keyword") }
        let classifier = IconClassifier(classes: classes, rasterSize: rasterSize, seed: seed)
        let parameters = try ParameterSet(classifier.parameters)
        let optimizer = AdamW(parameters: parameters, hyperparameters: .init(weightDecay: 1e-4))
        var generator = SeededGenerator(seed: seed &+ 1)
        for step in 0..<steps {
            let batch = (0..<batchSize).map { _ in examples[Int.random(in: 0..<examples.count, using: &generator)] }
            let logits = try classifier.output(classifier.features(input(batch.map { masks[$0.0] })))
            let loss = try logits.crossEntropy(targets: batch.map(\.1))
            parameters.zeroGradients()
            try loss.backward()
            optimizer.step(learningRate: 1e-3 * (step < 100 ? Float(step + 1) / 100 : 1))
            if step % 250 == 0 || step == steps - 1 { progress("classifier step \(step + 1)/\(steps) loss \(loss.value.scalar)") }
        }
        return classifier
    }

    /// Writes `classifier.safetensors` and `classifier.json` (classes, raster size) into `directory`.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ParameterSet(parameters).save(to: directory.appendingPathComponent("classifier.safetensors").path)
        let info: [String: Any] = ["classes": classes, "rasterSize": rasterSize]
        try AtomicWrite.data(JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys]),
                             to: directory.appendingPathComponent("classifier.json"))
    }

    /// Loads a classifier folder written by ``save(to:)``.
    public static func load(from directory: URL) throws -> IconClassifier {
        let infoURL = directory.appendingPathComponent("classifier.json")
        guard let data = try? Data(contentsOf: infoURL),
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let classes = info["classes"] as? [String], let rasterSize = info["rasterSize"] as? Int else {
            throw IconError.invalidFile(path: infoURL.path, detail: "missing or not a classifier description; train one with `icons classifier train`")
        }
        let classifier = IconClassifier(classes: classes, rasterSize: rasterSize, seed: 0)
        try ParameterSet(classifier.parameters).load(from: directory.appendingPathComponent("classifier.safetensors").path)
        return classifier
    }
}

extension IconClassifier {
    /// The classes among the words of `text` (empty when none is a class).
    public func classIndices(in text: String) -> [Int] {
        IconTokenizer.words(in: text).compactMap { classes.firstIndex(of: $0) }
    }

    /// How well each icon shows `text`: the classifier's largest probability over the words of
    /// `text` that are among its classes (the per-sample text-alignment score of `icons eval`).
    ///
    /// - Returns: one score per icon in 0...1 (0 for an icon that does not render), or nil when no
    ///   word of `text` is a class, so there is nothing to score against.
    public func alignment(of icons: [GeneratedIcon], text: String) throws -> [Double]? {
        let indices = classIndices(in: text)
        guard !indices.isEmpty else { return nil }
        let masks = icons.map { try? IconRaster.mask($0.icon.svgData(), size: rasterSize) }
        let rendered = masks.compactMap { $0 }
        var rows = rendered.isEmpty ? [] : try probabilities(rendered)[...]
        return masks.map { mask in
            guard mask != nil, let row = rows.popFirst() else { return 0 }
            return Double(indices.map { row[$0] }.max()!)
        }
    }

    /// Keeps the `count` icons of `candidates` that the classifier finds most like `text`
    /// (classifier reranking, as DALL-E reranks samples with CLIP), in order of score; ties keep
    /// the sampling order. When no word of `text` is a class, the first `count` are kept.
    public func rerank(_ candidates: [GeneratedIcon], text: String, keep count: Int) throws -> [GeneratedIcon] {
        guard let scores = try alignment(of: candidates, text: text) else { return Array(candidates.prefix(count)) }
        let order = candidates.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
        return order.prefix(count).map { candidates[$0] }
    }
}
