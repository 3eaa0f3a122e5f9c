// AR decoding with a KV cache and MaskGIT iterative decoding (Chang et al. 2022, "MaskGIT",
// section 3.2: cosine mask schedule, confidence = log-probability of the sampled token plus
// annealed Gumbel noise). Guidance on logits per step (Ho & Salimans 2022), see
// SamplingSettings.swift.

import Autograd
import Foundation
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
        return try Tape.withoutGradient {
            switch configuration.kind {
            case .autoregressive: return try sampleAutoregressive(classes: classes, settings: settings, generator: &generator)
            case .masked: return try sampleMasked(classes: classes, settings: settings, generator: &generator)
            }
        }
    }

    /// Guided logits of row `b` for one head: `u + s (c - u)` (or `c` without guidance).
    private func guidedRow(_ logits: [Float], row b: Int, batch: Int, vocabulary v: Int, scale: Float, guided: Bool) -> [Float] {
        let conditional = Array(logits[(b * v)..<((b + 1) * v)])
        guard guided else { return conditional }
        let unconditional = logits[((batch + b) * v)..<((batch + b + 1) * v)]
        return zip(conditional, unconditional).map { c, u in u + scale * (c - u) }
    }

    private func sampleAutoregressive(classes: [Int], settings: SamplingSettings, generator: inout SeededGenerator) throws -> [[Int]] {
        let c = configuration, n = c.positionCount, s = c.subTokenCount, v = c.subVocabularySize, b = classes.count
        let guided = settings.guidance.isActive
        // Rows 0..<B are conditional; with guidance rows B..<2B repeat them without a class.
        let rowClasses = guided ? classes + Array(repeating: nullClass, count: b) : classes
        let caches = rowClasses.map { _ in transformer.makeCache(capacity: n + 1) }
        var input = try classEmbedding(rowClasses.map { [$0] })
        var tokens = [[Int]](repeating: [], count: b)
        for position in 0..<n {
            let hidden = try transformer.hiddenStates(.embeddings(input), caches: caches)
            let logits = try headLogits(hidden.reshaped([rowClasses.count, c.decoder.hiddenSize])).map { $0.value.scalars }
            let scale = settings.guidance.value(step: position, of: n)
            var next = [[Int]](repeating: [], count: b)
            for row in 0..<b {
                for slot in 0..<s {
                    let values = guidedRow(logits[slot], row: row, batch: b, vocabulary: v, scale: scale, guided: guided)
                    let drawn = values.withUnsafeBufferPointer { settings.sample($0.baseAddress!, count: v, generator: &generator) }
                    next[row].append(drawn.index)
                }
                tokens[row] += next[row]
            }
            if position + 1 < n { input = try positionEmbeddings(guided ? next + next : next) }
        }
        return tokens
    }

    private func sampleMasked(classes: [Int], settings: SamplingSettings, generator: inout SeededGenerator) throws -> [[Int]] {
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
                        let all = guidedRow(logits[slot], row: row * n + p, batch: b * n, vocabulary: v, scale: scale, guided: guided)
                        let drawn = all.withUnsafeBufferPointer { settings.sample($0.baseAddress!, count: v, generator: &generator) }
                        values.append(drawn.index)
                        confidence += drawn.logProbability
                    }
                    let u = Float.random(in: Float.leastNonzeroMagnitude..<1, using: &generator)
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
}
