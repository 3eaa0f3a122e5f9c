import Autograd
import NeuralNetworks
import Tensors
import Training

/// What the ``Forecaster`` facade needs from a forecasting network: AutoTimes
/// (``AutoTimesModel``) and Time-LLM (``TimeLLMModel``) both conform.
public protocol ForecastNetwork: Module {
    /// The shape and method of the network.
    var configuration: ForecasterConfiguration { get }
    /// The decoder (own and trained, or a frozen LLM).
    var backbone: DecoderTransformer { get }
    /// The parameters an optimiser updates.
    var trainableParameters: [Variable] { get }
    /// The parameters written to `model.safetensors` (never a frozen backbone's, nor its adapters).
    var savedParameters: [Variable] { get }
    /// Points of history one forward pass reads at most.
    var lookbackLength: Int { get }
    /// Points one forward pass predicts (a roll advances by this much).
    var stepLength: Int { get }
    /// The shortest history a forecast accepts.
    var minimumHistory: Int { get }

    /// Forecasts `horizon` points after each history (see the conforming types); `prepack`
    /// packs windows of different lengths into shared rows where the method has any.
    func rollingForecast(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency, noiseScale: Float,
                         generator: inout SeededGenerator, batchSize: Int, prepack: Bool) throws -> [[Float]]

    /// Trains on scaled series, keeping the best validation weights.
    func train(_ series: [TrainingSeries], options: ForecastTrainingOptions,
               progress: @escaping ProgressReporter.Output) throws -> ForecastTrainingSummary
}

extension ForecastNetwork {
    /// Deterministic forecasts in batches of 256 windows.
    public func rollingForecast(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency = .steps) throws -> [[Float]] {
        var generator = SeededGenerator(seed: 0)
        return try rollingForecast(inputs, horizon: horizon, frequency: frequency, noiseScale: 0, generator: &generator,
                                   batchSize: 256, prepack: false)
    }
}

extension AutoTimesModel: ForecastNetwork {
    /// `S * min(contextSegments, maximumSegments)`.
    public var lookbackLength: Int { configuration.segmentLength * min(configuration.contextSegments, maximumSegments) }
    /// One segment, S.
    public var stepLength: Int { configuration.segmentLength }
    /// One segment, S.
    public var minimumHistory: Int { configuration.segmentLength }

    /// Trains with an ``AutoTimesTrainer``.
    public func train(_ series: [TrainingSeries], options: ForecastTrainingOptions,
                      progress: @escaping ProgressReporter.Output) throws -> ForecastTrainingSummary {
        var trainer = AutoTimesTrainer(model: self, options: options)
        trainer.progressOutput = progress
        return try trainer.train(series)
    }
}

extension TimeLLMModel: ForecastNetwork {
    /// Everything outside the frozen backbone (LoRA adapters go to their own file).
    public var savedParameters: [Variable] {
        namedParameters().filter { !$0.name.hasPrefix("backbone.") }.map(\.variable)
    }
    /// The configured lookback, L.
    public var lookbackLength: Int { configuration.timeLLM.lookback }
    /// The configured horizon, H.
    public var stepLength: Int { configuration.timeLLM.horizon }
    /// One point: shorter histories are padded to L.
    public var minimumHistory: Int { 1 }

    /// Every Time-LLM window is padded to the lookback, so there is nothing to pack.
    public func rollingForecast(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency, noiseScale: Float,
                                generator: inout SeededGenerator, batchSize: Int, prepack: Bool) throws -> [[Float]] {
        try rollingForecast(inputs, horizon: horizon, frequency: frequency, noiseScale: noiseScale, generator: &generator,
                            batchSize: batchSize)
    }
}
