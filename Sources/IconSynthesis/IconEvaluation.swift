// Metrics of IconShop (Wu et al. 2023, section 4.2): Uniqueness (share of generated
// sequences that occur exactly once among the samples) and Novelty (share of generated
// sequences not found in the training set), plus validity (share that decode and render)
// and a raster novelty (share whose IoU to every training icon is below 0.9).

import Foundation

/// The numbers `icons eval` reports.
public struct IconEvaluationReport: Codable, Sendable {
    /// Icons generated (prompts times samples per prompt).
    public var samples: Int
    /// The prompts, in order.
    public var prompts: [String]
    /// Share of samples that render.
    public var validity: Double
    /// Share of samples whose token sequence occurs exactly once among the samples.
    public var uniqueness: Double
    /// Share of samples whose token sequence is not in the training split.
    public var novelty: Double
    /// Share of samples whose raster has IoU below 0.9 with every training icon.
    public var rasterNovelty: Double
    /// Side of the novelty rasters.
    public var rasterSize: Int
    /// Mean SVG tokens per sample.
    public var meanSVGTokens: Double
    /// Wall time of the sampling.
    public var seconds: Double
    /// Samples per second of sampling (kept icons per second when reranking).
    public var iconsPerSecond: Double
    /// Candidates sampled per kept icon (1: raw samples).
    public var rerank: Int? = nil
    /// What the candidates were ranked by when `rerank` > 1.
    public var rerankBy: String? = nil
    /// Mean classifier probability of the prompt's keyword (prompts naming a class only).
    public var textAlignment: Double?
    /// Share of those samples whose prompt keyword is among the classifier's top 5.
    public var textAlignmentTop5: Double?
    /// The same score for held-out real icons with their own keywords: the ceiling.
    public var textAlignmentHeldOutReal: Double?
    /// Fréchet distance of classifier features, generated vs held-out real icons.
    public var frechetDistance: Double?
    /// The same distance between training icons (as many as samples) and the held-out icons: the floor.
    public var frechetDistanceTrainingVersusHeldOut: Double?
}

/// Samples icons for prompts and measures validity, uniqueness and novelty against a dataset.
///
/// ```swift
/// let report = try IconEvaluator(synthesizer: synthesizer, dataset: dataset)
///     .evaluate(prompts: ["camera", "heart"], samplesPerPrompt: 8, options: IconSamplingOptions())
/// ```
public struct IconEvaluator {
    /// The model that samples.
    public let synthesizer: IconSynthesizer
    /// The dataset the model was trained on (its held-out split is the reference).
    public let dataset: IconDataset
    /// Render size of the raster novelty check.
    public var rasterSize = 32
    /// Enables the text-alignment score and the Fréchet distance.
    public var classifier: IconClassifier?
    /// Candidates sampled per icon, ranked as `icons generate` ranks them (1: raw samples).
    /// Ranking by a classifier that also scores the text alignment inflates that score.
    public var rerank = 1
    /// What reranking ranks by.
    public var rerankBy = IconRerankCriterion.both
    /// The classifier reranking uses (`icons generate` uses `<model>/classifier`).
    public var rerankClassifier: IconClassifier?

    /// An evaluator with raster size 32 and no classifier.
    public init(synthesizer: IconSynthesizer, dataset: IconDataset) {
        self.synthesizer = synthesizer
        self.dataset = dataset
    }

    /// Samples `samplesPerPrompt` icons per prompt (seed `options.seed + 1000 * prompt index`),
    /// from `rerank` candidates each when `rerank` > 1, and measures them.
    ///
    /// - Throws: ``IconError/invalidArgument(name:detail:)`` when the dataset's grid or words differ
    ///   from the model's; sampling and rendering errors.
    public func evaluate(prompts: [String], samplesPerPrompt: Int, options: IconSamplingOptions,
                         progress: (String) -> Void = { _ in }) throws -> IconEvaluationReport {
        guard dataset.gridSize == synthesizer.model.tokenizer.gridSize, dataset.words == synthesizer.model.tokenizer.words else {
            throw IconError.invalidArgument(name: "--data", detail: "the dataset's vocabulary differs from the model's; pass the dataset the model was trained on")
        }
        let start = Date()
        var generated: [GeneratedIcon] = []
        for (index, prompt) in prompts.enumerated() {
            var perPrompt = options
            perPrompt.seed = options.seed &+ UInt64(index * 1000)
            generated += try synthesizer.generate(text: prompt, count: samplesPerPrompt, candidatesPerIcon: rerank, by: rerankBy,
                                                  classifier: rerankClassifier, options: perPrompt)
            progress("sampled \(generated.count)/\(prompts.count * samplesPerPrompt)")
        }
        let seconds = Date().timeIntervalSince(start)
        var masks: [[Bool]] = []
        for icon in generated {
            if let mask = try? IconRaster.mask(icon.icon.svgData(), size: rasterSize) { masks.append(mask) }
        }
        let counts = generated.reduce(into: [[Int]: Int]()) { $0[$1.tokens, default: 0] += 1 }
        let training = Set(dataset.entries.indices.filter { !dataset.isHeldOut($0) }.map { dataset.entries[$0].tokens })
        progress("rendering \(training.count) training icons for raster novelty")
        let tokenizer = dataset.tokenizer
        var trainingMasks: [[Bool]] = []
        for (i, entry) in dataset.entries.enumerated() where !dataset.isHeldOut(i) {
            if let icon = try? tokenizer.decode(entry.tokens), let mask = try? IconRaster.mask(icon.svgData(), size: rasterSize) {
                trainingMasks.append(mask)
            }
        }
        let novelRaster = masks.filter { mask in trainingMasks.allSatisfy { IconRaster.intersectionOverUnion(mask, $0) < 0.9 } }.count
        let n = Double(max(generated.count, 1))
        var report = IconEvaluationReport(
            samples: generated.count, prompts: prompts,
            validity: Double(masks.count) / n,
            uniqueness: Double(generated.filter { counts[$0.tokens] == 1 }.count) / n,
            novelty: Double(generated.filter { !training.contains($0.tokens) }.count) / n,
            rasterNovelty: Double(novelRaster) / n, rasterSize: rasterSize,
            meanSVGTokens: Double(generated.map(\.tokens.count).reduce(0, +)) / n,
            seconds: seconds, iconsPerSecond: n / max(seconds, 1e-9),
            rerank: rerank, rerankBy: rerank > 1 ? rerankBy.rawValue : nil)
        if let classifier {
            try addClassifierMetrics(classifier, to: &report, generated: generated, prompts: prompts, samplesPerPrompt: samplesPerPrompt)
        }
        return report
    }

    private func addClassifierMetrics(_ classifier: IconClassifier, to report: inout IconEvaluationReport, generated: [GeneratedIcon],
                                      prompts: [String], samplesPerPrompt: Int) throws {
        let size = classifier.rasterSize
        // Samples that do not render are already counted against validity; score the others.
        let rendered = generated.indices.compactMap { i in (try? IconRaster.mask(generated[i].icon.svgData(), size: size)).map { (i, $0) } }
        let masks = rendered.map(\.1)
        let probabilities = try classifier.probabilities(masks)
        var alignment: [Double] = [], top5: [Double] = []
        for (row, i) in zip(probabilities, rendered.map(\.0)) {
            let indices = classifier.classIndices(in: prompts[i / samplesPerPrompt])
            guard !indices.isEmpty else { continue }
            alignment.append(Double(indices.map { row[$0] }.max()!))
            let best = Set(row.indices.sorted { row[$0] > row[$1] }.prefix(5))
            top5.append(indices.contains { best.contains($0) } ? 1 : 0)
        }
        if !alignment.isEmpty {
            report.textAlignment = alignment.reduce(0, +) / Double(alignment.count)
            report.textAlignmentTop5 = top5.reduce(0, +) / Double(top5.count)
        }
        let tokenizer = dataset.tokenizer
        func features(_ indices: [Int]) throws -> [[Float]] {
            try classifier.featureVectors(indices.compactMap { try? IconRaster.mask(tokenizer.decode(dataset.entries[$0].tokens).svgData(), size: size) })
        }
        let heldOut = dataset.entries.indices.filter { dataset.isHeldOut($0) }
        var ceiling: [Double] = []
        for index in heldOut {
            let indices = dataset.entries[index].keywords.compactMap { classifier.classes.firstIndex(of: $0) }
            guard !indices.isEmpty, let mask = try? IconRaster.mask(tokenizer.decode(dataset.entries[index].tokens).svgData(), size: size) else { continue }
            let row = try classifier.probabilities([mask])[0]
            ceiling.append(Double(indices.map { row[$0] }.max()!))
        }
        if !ceiling.isEmpty { report.textAlignmentHeldOutReal = ceiling.reduce(0, +) / Double(ceiling.count) }
        guard heldOut.count >= 2, masks.count >= 2 else { return }
        let real = try features(heldOut)
        report.frechetDistance = FrechetDistance.between(try classifier.featureVectors(masks), real)
        let training = dataset.entries.indices.filter { !dataset.isHeldOut($0) }
        let stride = max(1, training.count / masks.count)
        let subset = Swift.stride(from: 0, to: training.count, by: stride).prefix(masks.count).map { training[$0] }
        report.frechetDistanceTrainingVersusHeldOut = FrechetDistance.between(try features(subset), real)
    }
}
