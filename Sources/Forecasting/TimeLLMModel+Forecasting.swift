// Rolling and training for Time-LLM (Jin et al. 2023). The model predicts a fixed horizon H
// from a fixed lookback L (Sec. 4.1 trains one model per horizon); longer horizons roll: the
// forecast is appended to the history and the last L points are forecast again.

import Autograd
import Foundation
import Tensors
import Training

extension TimeLLMModel {
    /// Forecasts `horizon` points after each history, H at a time.
    ///
    /// A history shorter than the lookback is padded in front with its first value.
    ///
    /// - Parameters:
    ///   - noiseScale: standard deviation (units of each history's spread over its last
    ///     lookback points, fixed through the roll) of noise added to each fed-back block, for
    ///     an ensemble of rolls; 0 = deterministic.
    /// - Returns: `[inputs.count][horizon]` in the inputs' units.
    public func rollingForecast(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency = .steps,
                                noiseScale: Float = 0, generator: inout SeededGenerator,
                                batchSize: Int = 256) throws -> [[Float]] {
        guard horizon >= 1 else { throw ForecastError.invalidArgument(name: "horizon", detail: "must be >= 1, got \(horizon)") }
        let lookback = configuration.timeLLM.lookback
        var results = [[Float]](repeating: [], count: inputs.count)
        for (index, input) in inputs.enumerated() where input.history.isEmpty {
            throw ForecastError.insufficientData(detail: "series \(index + 1) is empty")
        }
        for chunkStart in stride(from: 0, to: inputs.count, by: batchSize) {
            let chunk = chunkStart..<min(chunkStart + batchSize, inputs.count)
            var windows = chunk.map { index -> [Float] in
                let history = inputs[index].history
                return [Float](repeating: history[0], count: max(0, lookback - history.count)) + history.suffix(lookback)
            }
            let noise = chunk.map { inputs[$0].noiseDeviation(noiseScale, read: lookback) }
            while results[chunk.lowerBound].count < horizon {
                let statistics = windows.map { InstanceNormalization(window: $0) }
                let normalised = zip(windows, statistics).map { $1.normalize($0) }
                let predicted = try Tape.withoutGradient { try self(normalised).value }.scalars      // [B * H]
                let h = configuration.timeLLM.horizon
                for (offset, index) in chunk.enumerated() {
                    var values = statistics[offset].denormalize(predicted[(offset * h)..<((offset + 1) * h)])
                    values.addNoise(deviation: noise[offset], using: &generator)
                    results[index] += values
                    windows[offset] = Array((windows[offset] + values).suffix(lookback))
                }
            }
        }
        return results.map { Array($0.prefix(horizon)) }
    }

    /// Trains on windows of L + H points from every series' training rows (MSE of the
    /// normalised forecast), keeping the best validation weights.
    public func train(_ series: [TrainingSeries], options: ForecastTrainingOptions,
                      progress: @escaping ProgressReporter.Output = ProgressReporter.standardError) throws -> ForecastTrainingSummary {
        try options.validate()
        let began = Date()
        let (lookback, horizon) = (configuration.timeLLM.lookback, configuration.timeLLM.horizon)
        let windows = ForecastTrainingLoop.Windows(series: series, length: lookback + horizon, targetOffset: lookback,
                                                   validationLimit: options.validationWindows)
        guard windows.trainCount > 0 else {
            throw ForecastError.insufficientData(detail: "training needs \(lookback + horizon) training rows per series (lookback + horizon); use a smaller --lookback or --train-horizon")
        }
        func batch(_ picks: [(series: Int, start: Int)]) -> (inputs: [[Float]], targets: Tensor) {
            var inputs: [[Float]] = [], targets: [Float] = []
            for (index, start) in picks {
                let values = series[index].values
                let statistics = InstanceNormalization(window: values[start..<(start + lookback)])
                inputs.append(statistics.normalize(values[start..<(start + lookback)]))
                targets += statistics.normalize(values[(start + lookback)..<(start + lookback + horizon)])
            }
            return (inputs, Tensor(shape: [picks.count, horizon], values: targets))
        }
        let validationBatches = stride(from: 0, to: windows.validation.count, by: 64).map {
            batch(Array(windows.validation[$0..<min($0 + 64, windows.validation.count)]))
        }
        let parameters = try ParameterSet(trainableParameters)
        let loop = ForecastTrainingLoop(parameters: parameters, options: options, progressOutput: progress)
        let result = try loop.run(loss: { generator in
            let (inputs, targets) = batch(windows.sample(options.batchSize, groups: options.balanceFiles ? series.map(\.group) : nil, using: &generator))
            return (try self(inputs).meanSquaredError(targets), options.batchSize * self.configuration.timeLLM.patchCount)
        }, validate: validationBatches.isEmpty ? nil : {
            var total: Float = 0
            for (inputs, targets) in validationBatches {
                total += try Tape.withoutGradient { try self(inputs).meanSquaredError(targets).value.scalar } * Float(inputs.count)
            }
            return total / Float(windows.validation.count)
        })
        return ForecastTrainingSummary(
            steps: result.completedSteps, finalTrainingLoss: result.finalLoss, bestValidationLoss: result.best?.loss,
            bestStep: result.best?.step, trainableParameters: parameters.scalarCount, totalParameters: parameterCount,
            seconds: Date().timeIntervalSince(began), segments: configuration.timeLLM.patchCount)
    }
}
