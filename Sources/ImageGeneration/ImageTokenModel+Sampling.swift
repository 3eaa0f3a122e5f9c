// AR decoding with a KV cache and MaskGIT iterative decoding (Chang et al. 2022, "MaskGIT",
// section 3.2: cosine mask schedule, confidence = log-probability of the sampled token plus
// annealed Gumbel noise). Every sub-token is drawn with Generation's processors and sampler;
// classifier-free guidance (Ho & Salimans 2022) is Generation's: `GuidedDecoder` for AR, its
// `ClassifierFreeGuidance` formula for MaskGIT's parallel steps.

import Autograd
import Foundation
import Generation
import NeuralNetworks
import Tensors

extension ImageTokenModel {
    /// Samples one token grid per class: `[B][positionCount * subTokenCount]`.
    ///
    /// - Parameters:
    ///   - classes: the class of each image (`0..<classCount`).
    ///   - settings: temperature, top-k, guidance, steps.
    ///   - generator: all randomness; the same seed gives the same grids.
    public func sample(classes: [Int], settings: SamplingSettings, generator: inout SeededGenerator) throws -> [[Int]] {
        try settings.validate()
        guard !classes.isEmpty else { return [] }
        if let bad = classes.first(where: { $0 < 0 || $0 >= configuration.classCount }) {
            throw ImageDataError.invalidArgument(detail: "class \(bad) is outside 0..<\(configuration.classCount)")
        }
        var sampler = try SubTokenSampler(settings: settings, generator: generator)
        defer { generator = sampler.generator }
        return try Tape.withoutGradient {
            switch configuration.kind {
            case .autoregressive: return try sampleAutoregressive(classes: classes, settings: settings, sampler: &sampler)
            case .masked: return try sampleMasked(classes: classes, settings: settings, sampler: &sampler)
            }
        }
    }

    private func sampleAutoregressive(classes: [Int], settings: SamplingSettings, sampler: inout SubTokenSampler) throws -> [[Int]] {
        let decoder = ImageTokenDecoder(self)
        guard settings.guidance.isActive else {
            return try decodeAutoregressive(decoder, classes: classes, sampler: &sampler) { _ in }
        }
        // The unconditional run reads "no class" in place of each image's class.
        let guided = GuidedDecoder(decoder, unconditionalPrompt: [nullClass], scale: 1)
        let n = configuration.positionCount
        return try decodeAutoregressive(guided, classes: classes, sampler: &sampler) { position in
            guided.scale = settings.guidance.value(step: position, of: n)
        }
    }

    /// Raster-order decoding through `decoder` (``ImageTokenDecoder``, guided or not): one model
    /// call per grid position for all images, then one draw per image and sub-token.
    private func decodeAutoregressive<Decoder: AutoregressiveModel>(
        _ decoder: Decoder, classes: [Int], sampler: inout SubTokenSampler, beforeStep: (Int) -> Void
    ) throws -> [[Int]] {
        let c = configuration, n = c.positionCount, s = c.subTokenCount, v = c.subVocabularySize
        var states = classes.map { _ in decoder.makeState() }
        var pending = classes.map { [$0] }
        var tokens = [[Int]](repeating: [], count: classes.count)
        for position in 0..<n {
            beforeStep(position)
            let logits = try decoder.logits(appending: pending, to: &states)
            for row in classes.indices {
                let heads = logits[row][0]
                pending[row] = try (0..<s).map { slot in try sampler.draw(Array(heads[(slot * v)..<((slot + 1) * v)])).index }
                tokens[row] += pending[row]
            }
        }
        return tokens
    }

    private func sampleMasked(classes: [Int], settings: SamplingSettings, sampler: inout SubTokenSampler) throws -> [[Int]] {
        let c = configuration, n = c.positionCount, s = c.subTokenCount, v = c.subVocabularySize, b = classes.count
        let guided = settings.guidance.isActive
        let rowClasses = guided ? classes + Array(repeating: nullClass, count: b) : classes
        var tokens = [[Int]](repeating: [Int](repeating: maskToken, count: n * s), count: b)
        var masked = [[Bool]](repeating: [Bool](repeating: true, count: n), count: b)
        let steps = Swift.min(settings.steps, n)
        for step in 0..<steps {
            let input = try inputEmbeddings(classes: rowClasses, tokens: guided ? tokens + tokens : tokens)
            let hidden = try transformer.hiddenStates(.embeddings(input), mask: Self.fullMask(batch: rowClasses.count, length: n + 1))
            let rows = try hidden.sliced(axis: 1, range: 1..<(n + 1)).reshaped([rowClasses.count * n, c.decoder.hiddenSize])
            let logits = try headLogits(rows).map { $0.value.scalars }
            let scale = settings.guidance.value(step: step, of: steps)
            let progress = Double(step + 1) / Double(steps)
            let target = step + 1 == steps ? 0 : Int(floor(Double(n) * Foundation.cos(Double.pi / 2 * progress)))
            let noise = settings.choiceTemperature * Float(1 - progress)
            for row in 0..<b {
                let open = (0..<n).filter { masked[row][$0] }
                guard !open.isEmpty else { continue }
                var candidates: [(position: Int, values: [Int], confidence: Float)] = []
                for p in open {
                    var values: [Int] = [], confidence: Float = 0
                    for slot in 0..<s {
                        let drawn = try sampler.draw(guidedRow(logits[slot], row: row * n + p, rows: b * n, vocabulary: v, scale: scale, guided: guided))
                        values.append(drawn.index)
                        confidence += drawn.logProbability
                    }
                    let u = Float.random(in: Float.leastNonzeroMagnitude..<1, using: &sampler.generator)
                    candidates.append((p, values, confidence + noise * -Foundation.log(-Foundation.log(u))))
                }
                let keepMasked = Swift.max(0, Swift.min(target, open.count - 1))
                for chosen in candidates.sorted(by: { $0.confidence > $1.confidence }).prefix(open.count - keepMasked) {
                    for slot in 0..<s { tokens[row][chosen.position * s + slot] = chosen.values[slot] }
                    masked[row][chosen.position] = false
                }
            }
        }
        return tokens
    }

    /// Logits of `row` for one head from a batch whose rows `rows..<2 rows` are the
    /// unconditional runs of rows `0..<rows`, guided by Generation's `ClassifierFreeGuidance`.
    private func guidedRow(_ logits: [Float], row: Int, rows: Int, vocabulary v: Int, scale: Float, guided: Bool) -> [Float] {
        let conditional = Array(logits[(row * v)..<((row + 1) * v)])
        guard guided else { return conditional }
        let unconditional = logits[((rows + row) * v)..<((rows + row + 1) * v)]
        return ClassifierFreeGuidance.logits(conditional: conditional, unconditional: unconditional, scale: scale)
    }
}
