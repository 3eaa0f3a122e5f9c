import FileIO
import Foundation
import NeuralNetworks
import SafeTensors
import Tensors
import Tokenizers
import Training

/// The forecasting application's facade: train, save, load, predict, evaluate.
///
/// A saved forecaster is a folder with `forecaster.json` (a ``ForecasterConfiguration``),
/// `model.safetensors` (the weights; without the frozen backbone's, which are read from the
/// folder named in the configuration) and, with LoRA, `adapters.safetensors`.
///
/// ```swift
/// let table = try TimeSeriesCSV.read(path: "ETTh1.csv")
/// let forecaster = try Forecaster(configuration: ForecasterConfiguration(), seed: 0)
/// let split = try DataSplit.make(.ettHourly, length: table.length)
/// _ = try forecaster.train(on: [table], splits: [split], options: ForecastTrainingOptions())
/// try forecaster.save(to: URL(fileURLWithPath: "runs/etth1"))
/// let result = try forecaster.predict(table, horizon: 96)
/// ```
public final class Forecaster {
    /// Name of the configuration file in a saved forecaster folder (a ``ForecasterConfiguration`` as JSON).
    public static let configurationFileName = "forecaster.json"
    /// Name of the weights file in a saved forecaster folder (the network's ``ForecastNetwork/savedParameters``).
    public static let weightsFileName = "model.safetensors"
    /// LoRA adapters of the frozen backbone, kept apart from the other weights (readable by
    /// `LoRA.loadAdapters(into:from:)` on the backbone alone).
    public static let adaptersFileName = "adapters.safetensors"

    /// The network: an ``AutoTimesModel`` or a ``TimeLLMModel``.
    public let network: any ForecastNetwork
    /// The network's configuration (with a loaded backbone's own decoder shape in place of the default).
    public var configuration: ForecasterConfiguration { network.configuration }
    /// The network when the method is AutoTimes.
    public var autoTimes: AutoTimesModel? { network as? AutoTimesModel }
    /// The network when the method is Time-LLM.
    public var timeLLM: TimeLLMModel? { network as? TimeLLMModel }

    /// A new, untrained forecaster (loading the frozen backbone when the configuration names one).
    public init(configuration: ForecasterConfiguration, seed: UInt64 = 0) throws {
        try configuration.validate()
        var generator = SeededGenerator(seed: seed)
        let backbone = try configuration.frozenBackbone.map { try Forecaster.loadBackbone($0) }
        switch configuration.method {
        case .autotimes:
            var tokenizer: BytePairTokenizer?
            var textBackbone: DecoderTransformer?
            if configuration.timestampEmbedding && configuration.timestampSource == .llmText, let path = configuration.frozenBackbone {
                tokenizer = try Forecaster.loadTokenizer(configuration.timeLLM.tokenizer ?? path)
                // LoRA adapters change the backbone while training; the timestamp texts are
                // embedded by an unadapted copy so the cached embeddings stay valid.
                if configuration.lora != nil { textBackbone = try Forecaster.loadBackbone(path) }
            }
            network = try AutoTimesModel(configuration: configuration, backbone: backbone, timestampTokenizer: tokenizer,
                                         timestampBackbone: textBackbone, generator: &generator)
        case .timeLLM:
            guard let backbone, let path = configuration.frozenBackbone else {
                throw ForecastError.invalidArgument(name: "backbone", detail: "time-llm reprograms a pretrained LLM; give --backbone DIR (a Hugging Face GPT-2 or LLaMA folder)")
            }
            let tokenizer = try Forecaster.loadTokenizer(configuration.timeLLM.tokenizer ?? path)
            network = try TimeLLMModel(configuration: configuration, backbone: backbone, tokenizer: tokenizer, generator: &generator)
        }
        if let lora = configuration.lora {
            // Every linear layer of the blocks (the unused token head is left alone); B starts
            // at zero, so the untrained adapters leave the backbone's function unchanged.
            try LoRA.attach(to: network.backbone, rank: lora.rank, alpha: lora.alpha, seed: seed &+ 1,
                            targets: { $0.hasPrefix("blocks.") })
            network.assignParameterNames()
        }
    }

    /// The GPT-2-style byte-level BPE tokenizer in a folder: `vocab.json` + `merges.txt`, or
    /// a byte-level BPE `tokenizer.json`.
    static func loadTokenizer(_ path: String) throws -> BytePairTokenizer {
        let folder = URL(fileURLWithPath: path)
        let names = [BytePairTokenizer.vocabularyFileName, BytePairTokenizer.tokenizerJSONFileName]
        guard names.contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) else {
            throw ForecastError.invalidModel(path: path, detail: "no vocab.json + merges.txt or tokenizer.json for the backbone's tokenizer (Time-LLM prompts, timestamp texts); give --tokenizer DIR")
        }
        do { return try BytePairTokenizer(directory: folder) } catch {
            throw ForecastError.invalidModel(path: path, detail: "cannot read the tokenizer: \(error)")
        }
    }

    /// A one-line description of a JSON decoding error naming the field.
    static func describe(_ error: Error) -> String {
        (error as? DecodingError)?.oneLineDescription ?? "\(error)"
    }

    static func loadBackbone(_ path: String) throws -> DecoderTransformer {
        do { return try DecoderTransformer.load(from: URL(fileURLWithPath: path)) } catch let error as ModelError {
            throw ForecastError.invalidModel(path: path, detail: "cannot load the backbone: \(error)")
        }
    }

    /// Loads a saved forecaster folder.
    public static func load(from directory: URL) throws -> Forecaster {
        var configURL = directory.appendingPathComponent(configurationFileName)
        let weightsURL = directory.appendingPathComponent(weightsFileName)
        // A save killed between the weights and forecaster.json leaves an older, different
        // forecaster.json: then the configuration embedded in the weights is used.
        let embedded = embeddedConfiguration(weights: weightsURL)
        let useEmbedded = embedded != nil && interruptedSave(configuration: configURL, weights: weightsURL, embedded: embedded!.json)
        if useEmbedded { configURL = weightsURL }
        guard let data = useEmbedded ? embedded?.json : (try? Data(contentsOf: configURL)) else {
            throw ForecastError.invalidModel(path: directory.path, detail: "no \(configurationFileName); is this a folder written by `forecast train`?")
        }
        let configuration: ForecasterConfiguration
        do { configuration = try JSONDecoder().decode(ForecasterConfiguration.self, from: data) } catch {
            throw ForecastError.invalidModel(path: configURL.path, detail: Forecaster.describe(error))
        }
        let forecaster = try Forecaster(configuration: configuration)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw ForecastError.invalidModel(path: directory.path, detail: "no \(weightsFileName)")
        }
        do { try ParameterSet(forecaster.network.savedParameters).load(from: weightsURL.path) } catch {
            throw ForecastError.invalidModel(path: weightsURL.path, detail: "\(error)")
        }
        if configuration.lora != nil {
            let adaptersURL = directory.appendingPathComponent(adaptersFileName)
            try checkAdapters(adaptersURL, expected: embedded?.adaptersChecksum)
            do {
                try LoRA.loadAdapters(into: forecaster.network.backbone, from: adaptersURL)
                forecaster.network.assignParameterNames()
            } catch {
                throw ForecastError.invalidModel(path: adaptersURL.path, detail: "cannot load the LoRA adapters: \(error)")
            }
        }
        return forecaster
    }

    /// Whether ``mergeAdapters()`` folded the LoRA adapters into the backbone's weights.
    public private(set) var adaptersMerged = false

    /// Adds each LoRA adapter's update into its backbone weight and drops the adapter (LoRA,
    /// Hu et al. 2021, Sec. 4.1: no extra inference cost). The forecasts stay the same up to
    /// float rounding; the forecaster can no longer be trained or saved.
    public func mergeAdapters() throws {
        guard configuration.lora != nil, !adaptersMerged else { return }
        try LoRA.merge(network.backbone)
        network.assignParameterNames()
        adaptersMerged = true
    }

    /// Writes `model.safetensors`, `forecaster.json` (and with LoRA `adapters.safetensors`)
    /// into `directory`, each atomically; the weights file also carries the configuration, so
    /// a save killed part-way loads as the old or the new model, never a mix (see
    /// the `forecaster.json` metadata key of the weights file).
    public func save(to directory: URL) throws {
        guard !adaptersMerged else {
            throw ForecastError.invalidArgument(name: "adapters", detail: "merged into the frozen backbone's weights; save before merging")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(configuration)
        var metadata = [Self.configurationMetadataKey: String(decoding: json, as: UTF8.self)]
        if let lora = configuration.lora {
            let adapters = directory.appendingPathComponent(Self.adaptersFileName)
            try LoRA.saveAdapters(of: network.backbone, to: adapters, rank: lora.rank, alpha: lora.alpha)
            metadata[Self.adaptersChecksumMetadataKey] = String(try Self.fileChecksum(adapters))
        }
        // The commit point: weights and configuration in one atomically renamed file.
        try ParameterSet(network.savedParameters).save(to: directory.appendingPathComponent(Self.weightsFileName).path, metadata: metadata)
        try AtomicWrite.data(json, to: directory.appendingPathComponent(Self.configurationFileName))
    }

    /// Trains on the training rows of each table (scaled by a scaler fit on them), validating
    /// on the validation rows; keeps the best validation weights.
    public func train(on tables: [TimeSeriesTable], splits: [DataSplit], options: ForecastTrainingOptions,
                      progress: ProgressReporter.Output? = nil) throws -> ForecastTrainingSummary {
        guard !adaptersMerged else {
            throw ForecastError.invalidArgument(name: "adapters", detail: "merged into the frozen backbone's weights; train before merging")
        }
        guard tables.count == splits.count else { throw ForecastError.invalidArgument(name: "splits", detail: "one split per table") }
        let series = zip(tables, splits).enumerated().flatMap { index, pair in
            TrainingSeries.make(from: pair.0, split: pair.1).map { item -> TrainingSeries in
                var item = item
                item.group = index
                return item
            }
        }
        return try network.train(series, options: options, progress: progress ?? ProgressReporter.standardError)
    }

    /// The longest forecast ``predict(_:horizon:samples:seed:prepack:band:)`` makes, in points.
    public static let maximumHorizon = 10_000
    /// The longest history window `forecast eval` scores with, in points.
    public static let maximumLookback = 10_000
    /// The most ensemble rolls ``predict(_:horizon:samples:seed:prepack:band:)`` draws.
    public static let maximumSamples = 1_000

    /// Forecasts `horizon` points after the end of every series of `table`.
    ///
    /// - Parameters:
    ///   - samples: rolls with fed-back noise for the uncertainty band (0 = none).
    ///   - seed: draws the ensemble's noise.
    ///   - prepack: prefill series whose histories differ in length (shorter than the lookback)
    ///     packed into shared rows (see ``AutoTimesModel/rollingForecast(_:horizon:frequency:noiseScale:generator:batchSize:prepack:)``).
    ///   - band: how the 10-90% band is drawn; ``ForecastBand/backtest`` falls back to the
    ///     ensemble when no series is long enough to backtest.
    public func predict(_ table: TimeSeriesTable, horizon: Int, samples: Int = 0, seed: UInt64 = 0,
                        prepack: Bool = false, band: ForecastBand = .ensemble) throws -> ForecastResult {
        guard (1...Self.maximumHorizon).contains(horizon) else {
            throw ForecastError.invalidArgument(name: "horizon", detail: "must be in 1...\(Self.maximumHorizon), got \(horizon)")
        }
        guard (0...Self.maximumSamples).contains(samples) else {
            throw ForecastError.invalidArgument(name: "samples", detail: "must be in 0...\(Self.maximumSamples), got \(samples)")
        }
        // A series that starts late is forecast from its own values, not the filled cells before them.
        var inputs = table.values.indices.map { c -> ForecastInput in
            let leading = min(table.report.leadingMissing[table.columnNames[c]] ?? 0, table.length - 1)
            return ForecastInput(history: Array(table.values[c][leading...]), startTime: table.timestamps?[leading])
        }
        var generator = SeededGenerator(seed: seed)
        let point = try network.rollingForecast(inputs, horizon: horizon, frequency: table.frequency, noiseScale: 0,
                                                generator: &generator, batchSize: 256, prepack: prepack)
        var lower = point, upper = point
        var ensemble = band == .ensemble
        if band == .backtest {
            if let halfWidths = try backtestHalfWidths(inputs, horizon: horizon, frequency: table.frequency, prepack: prepack) {
                for c in inputs.indices {
                    for h in 0..<horizon { lower[c][h] = point[c][h] - halfWidths[c][h]; upper[c][h] = point[c][h] + halfWidths[c][h] }
                }
            } else {
                ensemble = true
            }
        }
        if ensemble && samples > 0 {
            // Each series' noise follows its own one-step errors (a pooled scale would give a
            // smooth series the errors of a jagged one).
            for (c, scale) in try residualScales(inputs, frequency: table.frequency).enumerated() { inputs[c].noiseScale = scale }
            var members: [[[Float]]] = []
            for _ in 0..<samples {
                members.append(try network.rollingForecast(inputs, horizon: horizon, frequency: table.frequency,
                                                           noiseScale: 1, generator: &generator, batchSize: 256, prepack: prepack))
            }
            for c in inputs.indices {
                for h in 0..<horizon {
                    let sorted = members.map { $0[c][h] }.sorted()
                    lower[c][h] = quantile(sorted, 0.1); upper[c][h] = quantile(sorted, 0.9)
                }
            }
        }
        var times: [Double]?
        if let last = table.timestamps?.last { times = (1...horizon).map { table.frequency.advance(last, by: $0) } }
        return ForecastResult(columnNames: table.columnNames, timestamps: times, frequency: table.frequency,
                              point: point, lower: lower, upper: upper)
    }

    /// Each series' spread of one-step-ahead errors over its history's last four steps, in
    /// units of the spread of the window the model reads (the unit of
    /// ``ForecastInput/noiseScale``); series too short to backtest get the others' pooled value
    /// (0.1 when none can be backtested).
    func residualScales(_ inputs: [ForecastInput], frequency: Frequency) throws -> [Float] {
        let s = network.stepLength
        var generator = SeededGenerator(seed: 0)
        var scales: [Float?] = []
        var pooledSquares = 0.0, pooledCount = 0
        for input in inputs {
            let series = input.history
            var squared = 0.0, count = 0
            for back in 1...4 {
                let end = series.count - back * s
                guard end >= max(s, network.minimumHistory) else { break }
                let history = Array(series[..<end])
                let read = network is AutoTimesModel ? history.count / s * s : history.count
                let stats = InstanceNormalization(window: history.suffix(min(read, network.lookbackLength)))
                // Same start time: a model with timestamp embeddings needs it.
                let forecast = try network.rollingForecast([ForecastInput(history: history, startTime: input.startTime)], horizon: s, frequency: frequency,
                                                           noiseScale: 0, generator: &generator, batchSize: 256, prepack: false)[0]
                for (p, t) in zip(forecast, series[end..<(end + s)]) {
                    let d = Double(stats.normalize(p) - stats.normalize(t)); squared += d * d; count += 1
                }
            }
            pooledSquares += squared; pooledCount += count
            scales.append(count > 0 ? Float((squared / Double(count)).squareRoot()) : nil)
        }
        let pooled = pooledCount > 0 ? Float((pooledSquares / Double(pooledCount)).squareRoot()) : 0.1
        return scales.map { $0 ?? pooled }
    }

    private func quantile(_ sorted: [Float], _ q: Float) -> Float {
        let position = q * Float(sorted.count - 1)
        let low = Int(position), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Float(low))
    }
}

/// A forecast of every series: point forecasts and a band.
public struct ForecastResult: Sendable {
    /// Names of the forecast series, in the input table's column order.
    public var columnNames: [String]
    /// Timestamps of the forecast points, when the input had dates.
    public var timestamps: [Double]?
    /// The input table's sampling interval (steps the forecast timestamps).
    public var frequency: Frequency
    /// Point (deterministic) forecasts in data units, `[column][h]`, h = 0 the first step after the history.
    public var point: [[Float]]
    /// Lower edge of the band, `[column][h]`: the 10% quantile of the ensemble of rolls, or
    /// `point` minus the backtest half-width (``ForecastBand``); equal to `point` without a band.
    public var lower: [[Float]]
    /// Upper edge of the band, `[column][h]` (see ``lower``).
    public var upper: [[Float]]
}
