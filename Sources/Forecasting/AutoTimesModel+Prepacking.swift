// Prepacking (Zhao et al. 2024, "Prepacking: A Simple Method for Fast Prefilling and
// Increased Throughput in Large Language Models", Sec. 3) for AutoTimes' rolling forecasts:
// windows of different numbers of segments (histories shorter than the lookback) are
// bin-packed first-fit decreasing into rows of the model's context, with a block-diagonal
// causal mask and positions restarting at 0 per window (``PackedBatch``), so one forward
// pass serves every window of a step instead of one pass per window length.

import Autograd
import NeuralNetworks
import Tensors

extension AutoTimesModel {
    /// Rolls every input in packed rows; the same forecasts as one rectangular batch per
    /// window length (up to float rounding), with fewer forward passes.
    ///
    /// - Parameter tokenCounts: segments each window starts with (at most `context`).
    func rollPacked(_ inputs: [ForecastInput], tokenCounts: [Int], context: Int, horizon: Int, frequency: Frequency,
                    noiseScale: Float, generator: inout SeededGenerator) throws -> [[Float]] {
        let s = configuration.segmentLength
        var tokens = tokenCounts
        var windows = inputs.indices.map { Array(inputs[$0].history.suffix(tokens[$0] * s)) }
        // Point index (relative to each history's start) of every window's first point.
        var windowOffsets = inputs.indices.map { inputs[$0].history.count - tokens[$0] * s }
        var outputs = [[Float]](repeating: [], count: inputs.count)
        let noise = inputs.indices.map { inputs[$0].noiseDeviation(noiseScale, read: tokens[$0] * s) }
        let features = timestampFeatureCount
        let embedsTimestamps = configuration.timestampEmbedding
        while outputs[0].count < horizon {
            let batch = try PackedBatch(prompts: tokens.map { [Int](repeating: 0, count: $0) }, capacity: context)
            let rows = batch.tokens.count
            let statistics = windows.map { InstanceNormalization(window: $0) }
            var flat = [Float](repeating: 0, count: rows * context * s)                 // [R, context, S]
            var timestamps = embedsTimestamps ? [Float](repeating: 0, count: rows * context * features) : []   // [R, context, F]
            let perWindow = embedsTimestamps ? try timestampFeatures(inputs.indices.map {
                TimestampedWindow(seriesStart: inputs[$0].startTime!, offset: windowOffsets[$0], segments: tokens[$0])
            }, frequency: frequency) : []
            for (index, placement) in batch.placements.enumerated() {
                let start = (placement.row * context + placement.offset) * s
                flat.replaceSubrange(start..<(start + placement.length * s), with: statistics[index].normalize(windows[index]))
                guard embedsTimestamps else { continue }
                let at = (placement.row * context + placement.offset) * features
                timestamps.replaceSubrange(at..<(at + placement.length * features), with: perWindow[index])
            }
            let predicted = try Tape.withoutGradient {
                try self(Tensor(shape: [rows, context, s], values: flat),
                         timestamps: embedsTimestamps ? Tensor(shape: [rows, context, features], values: timestamps) : nil,
                         positions: batch.positions, mask: .additive(batch.mask())).value
            }.scalars                                                                    // [R * context * S]
            for (index, placement) in batch.placements.enumerated() {
                let last = (placement.row * context + placement.offset + placement.length - 1) * s
                var values = statistics[index].denormalize(predicted[last..<(last + s)])
                values.addNoise(deviation: noise[index], using: &generator)
                outputs[index] += values
                windows[index] += values
                if tokens[index] == context {
                    windows[index].removeFirst(s); windowOffsets[index] += s
                } else {
                    tokens[index] += 1
                }
            }
        }
        return outputs.map { Array($0.prefix(horizon)) }
    }
}
