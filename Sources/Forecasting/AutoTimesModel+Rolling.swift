// Rolling autoregressive forecasting, AutoTimes (Liu et al. 2024) Sec. 3.3: one model
// forecasts any horizon by predicting the next segment, appending it to the input and
// predicting again ("one-for-all"). Each step re-normalises the current window, as the
// reference implementation does when it calls the model on the shifted input.

import Autograd
import Tensors

/// One series to forecast: its history and, for timestamp embeddings, its first timestamp.
public struct ForecastInput: Sendable {
    /// The observed values, oldest first, in data units (at least ``ForecastNetwork/minimumHistory`` points).
    public var history: [Float]
    /// Timestamp (seconds since 1970) of `history[0]`; required by models with timestamp embeddings.
    public var startTime: Double?
    /// Multiplies the rolling call's `noiseScale` for this series (each series' own spread of
    /// one-step errors, see ``Forecaster/predict(_:horizon:samples:seed:prepack:band:)``). Default 1.
    public var noiseScale: Float

    /// An input with its history, the timestamp of its first point and its noise multiplier.
    public init(history: [Float], startTime: Double? = nil, noiseScale: Float = 1) {
        self.history = history
        self.startTime = startTime
        self.noiseScale = noiseScale
    }

    /// The standard deviation, in data units, of the noise an ensemble roll adds to every
    /// forecast point: `noiseScale` (normalised units) times the spread of the last `read`
    /// points of the history. It stays fixed through the roll: scaled by each step's own
    /// window instead, noise that widened the window would widen the next noise, and the
    /// members' spread would grow geometrically with the horizon.
    func noiseDeviation(_ noiseScale: Float, read: Int) -> Float {
        let scale = noiseScale * self.noiseScale
        guard scale > 0 else { return 0 }
        return scale * InstanceNormalization(window: history.suffix(read)).deviation
    }
}

extension [Float] {
    /// Adds independent Gaussian noise of standard deviation `deviation` to every value.
    mutating func addNoise(deviation: Float, using generator: inout SeededGenerator) {
        guard deviation > 0 else { return }
        for i in indices { self[i] += deviation * generator.nextNormal() }
    }
}

extension AutoTimesModel {
    /// Forecasts `horizon` points after each history by rolling the model segment by segment.
    ///
    /// The model reads the last `min(contextSegments, history.count / S)` whole segments; the
    /// window grows with each prediction up to the context, then slides.
    ///
    /// - Parameters:
    ///   - inputs: histories of at least S points (raw or scaled: normalisation is per window).
    ///   - horizon: points to forecast (any positive number).
    ///   - frequency: steps timestamps forward for the timestamp embeddings.
    ///   - noiseScale: standard deviation (in units of each history's spread over the window the
    ///     model first reads, times the input's own ``ForecastInput/noiseScale``) of Gaussian noise
    ///     added to each predicted segment before it is fed back; 0 gives the deterministic
    ///     forecast, > 0 one member of an ensemble of rolls.
    ///   - generator: draws the noise.
    ///   - batchSize: windows per forward pass.
    ///   - prepack: pack windows of different lengths into shared rows (one forward pass per
    ///     step for all of them) instead of one batch per window length; the forecasts agree up
    ///     to float rounding, and the ensemble noise is drawn in series order.
    /// - Returns: `[inputs.count][horizon]` forecasts in the inputs' units.
    ///
    /// ```swift
    /// let forecasts = try model.rollingForecast([ForecastInput(history: values)], horizon: 720)
    /// ```
    public func rollingForecast(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency = .steps,
                                noiseScale: Float = 0, generator: inout SeededGenerator,
                                batchSize: Int = 256, prepack: Bool = false) throws -> [[Float]] {
        let s = configuration.segmentLength
        guard horizon >= 1 else { throw ForecastError.invalidArgument(name: "horizon", detail: "must be >= 1, got \(horizon)") }
        let context = min(configuration.contextSegments, maximumSegments)
        var tokenCounts: [Int] = []
        for (index, input) in inputs.enumerated() {
            guard input.history.count >= s else {
                throw ForecastError.insufficientData(detail: "series \(index + 1) has \(input.history.count) points; the model needs at least one segment of \(s)")
            }
            if configuration.timestampEmbedding && input.startTime == nil {
                throw ForecastError.invalidArgument(name: "timestamps", detail: "this model embeds timestamps; the input needs a date column")
            }
            tokenCounts.append(min(context, input.history.count / s))
        }
        var results = [[Float]](repeating: [], count: inputs.count)
        if prepack {
            for chunkStart in stride(from: 0, to: inputs.count, by: batchSize) {
                let chunk = chunkStart..<min(chunkStart + batchSize, inputs.count)
                let forecasts = try rollPacked(Array(inputs[chunk]), tokenCounts: Array(tokenCounts[chunk]), context: context,
                                               horizon: horizon, frequency: frequency, noiseScale: noiseScale, generator: &generator)
                results.replaceSubrange(chunk, with: forecasts)
            }
            return results
        }
        // Windows of the same length share forward passes.
        let groups = Dictionary(grouping: inputs.indices, by: { tokenCounts[$0] })
        for tokens in groups.keys.sorted() {
            let members = groups[tokens]!
            for chunkStart in stride(from: 0, to: members.count, by: batchSize) {
                let chunk = Array(members[chunkStart..<min(chunkStart + batchSize, members.count)])
                let forecasts = try roll(chunk.map { inputs[$0] }, tokens: tokens, context: context, horizon: horizon,
                                         frequency: frequency, noiseScale: noiseScale, generator: &generator)
                for (member, forecast) in zip(chunk, forecasts) { results[member] = forecast }
            }
        }
        return results
    }

    private func roll(_ inputs: [ForecastInput], tokens initialTokens: Int, context: Int, horizon: Int,
                      frequency: Frequency, noiseScale: Float, generator: inout SeededGenerator) throws -> [[Float]] {
        let s = configuration.segmentLength
        let batch = inputs.count
        var windows = inputs.map { Array($0.history.suffix(initialTokens * s)) }
        // Point index (relative to each history's start) of every window's first point.
        var windowOffsets = inputs.map { $0.history.count - initialTokens * s }
        var outputs = [[Float]](repeating: [], count: batch)
        outputs.indices.forEach { outputs[$0].reserveCapacity(horizon + s) }
        var tokens = initialTokens
        let noise = inputs.map { $0.noiseDeviation(noiseScale, read: initialTokens * s) }
        while outputs[0].count < horizon {
            let statistics = windows.map { InstanceNormalization(window: $0) }
            var flat = [Float](); flat.reserveCapacity(batch * tokens * s)
            for (window, stats) in zip(windows, statistics) { flat += stats.normalize(window) }
            let segments = Tensor(shape: [batch, tokens, s], values: flat)                      // [B, N, S]
            var timestamps: Tensor?
            if configuration.timestampEmbedding {
                timestamps = try timestampTensor(zip(inputs, windowOffsets).map {
                    TimestampedWindow(seriesStart: $0.startTime!, offset: $1, segments: tokens)
                }, frequency: frequency)                                                        // [B, N, F]
            }
            let predicted = try Tape.withoutGradient { try self(segments, timestamps: timestamps).value }
            let last = try predicted.sliced(axis: 1, range: (tokens - 1)..<tokens).contiguous().scalars     // [B * S]
            for b in 0..<batch {
                var values = statistics[b].denormalize(last[(b * s)..<((b + 1) * s)])
                values.addNoise(deviation: noise[b], using: &generator)
                outputs[b] += values
                windows[b] += values
                if tokens == context { windows[b].removeFirst(s); windowOffsets[b] += s }
            }
            if tokens < context { tokens += 1 }
        }
        return outputs.map { Array($0.prefix(horizon)) }
    }
}
