import ArgumentParser
import Forecasting
import Foundation
import Tensors

/// `bench forecast`: prediction throughput of forecasters on the test windows of a CSV
/// (ETTh1 by default): windows/s, where a window is one channel's lookback rolled to the
/// horizon; and, for histories of mixed lengths, grouped batches vs prepacked rows. With
/// `--peers`, accuracy beside statsforecast and DLinear/NLinear (`ForecastBenchmark+Peers.swift`).
struct ForecastBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast windows per second on ETTh1 test windows; prepacked vs grouped mixed-length histories. --peers: accuracy beside statsforecast and DLinear/NLinear.")

    @Option(help: "Forecaster folders, comma separated (the shipped one and any trained ones).") var models = "assets/forecast"
    @Option(help: "CSV whose test windows are forecast.") var input = "data/ett/ETTh1.csv"
    @Option(help: "Points of history per window.") var lookback = 672
    @Option(help: "Points forecast per window.") var horizon = 96
    @Option(help: "Test window starts (each gives one window per channel); with --peers, the ETT protocol scores this many, evenly spaced.") var windows = 64
    @Option(help: "Seed of the mixed history lengths.") var seed: UInt64 = 0
    @Flag(help: "Print results as JSON on stdout.") var json = false

    @Flag(help: "Score accuracy beside the peers of Benchmarks/peers/forecast_peers.py (statsforecast, DLinear/NLinear) instead of timing.") var peers = false
    @Option(name: .customLong("data"), help: "With --peers: CSV files to score, one report each (repeatable; default: --input).") var data: [String] = []
    @Option(name: .customLong("protocol"), help: "With --peers: ett (--windows test windows evenly spaced) or competition (last H points held out).")
    var evaluationProtocol: EvaluationProtocol = .ett
    @Option(help: "With --peers: comma-separated horizons (default: the protocol's for the data's frequency, as in forecast eval).") var horizons: String?
    @Option(help: "With --peers: also write the reports as JSON to this file.") var output: String?
    @Option(help: "With --peers: the Python interpreter.") var python = "python3"
    @Option(help: "With --peers: the peers script.") var peerScript = "Benchmarks/peers/forecast_peers.py"
    @Option(help: "With --peers: only these peers, comma separated (AutoETS,AutoTheta,AutoARIMA,SeasonalNaive,DLinear,NLinear), or none.") var peerMethods: String?

    func horizonList() throws -> [Int]? {
        try horizons.map { text in
            try text.split(separator: ",").map {
                guard let value = Int($0.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                    throw ValidationError("--horizons: '\($0)' is not a positive integer")
                }
                return value
            }
        }
    }

    struct Result: Codable {
        let model: String, method: String, parameters: Int, windows: Int, lookback: Int, horizon: Int
        let seconds: Double, windowsPerSecond: Double
        /// Histories of random lengths between one step and the lookback.
        let mixedGroupedWindowsPerSecond: Double, mixedPrepackedWindowsPerSecond: Double
    }

    func run() throws {
        if peers { return try runPeers() }
        let table = try TimeSeriesCSV.read(path: input)
        let split = try DataSplit.make(DataSplit.kind(forFile: input), length: table.length)
        let scaled = StandardScaler(fitting: table.values, rows: split.train).transform(table.values)
        let starts = DataSplit.windowStarts(targets: split.test, lookback: lookback, horizon: horizon)
        let picked = stride(from: 0, to: starts.count, by: max(1, starts.count / windows)).prefix(windows).map { starts[$0] }
        let inputs = picked.flatMap { start in scaled.map { ForecastInput(history: Array($0[(start - lookback)..<start])) } }
        var generator = SeededGenerator(seed: seed)
        var results: [Result] = []
        for path in models.split(separator: ",").map(String.init) {
            let forecaster = try Forecaster.load(from: URL(fileURLWithPath: path))
            let network = forecaster.network
            let step = max(network.minimumHistory, network.stepLength)
            let mixed = inputs.map { ForecastInput(history: Array($0.history.suffix(Int.random(in: step...lookback, using: &generator)))) }
            func time(_ batch: [ForecastInput], prepack: Bool) throws -> Double {
                var noise = SeededGenerator(seed: 0)
                _ = try network.rollingForecast(Array(batch.prefix(8)), horizon: horizon, frequency: table.frequency, noiseScale: 0,
                                                generator: &noise, batchSize: 256, prepack: prepack)     // warm-up
                let begin = Measurement.now()
                _ = try network.rollingForecast(batch, horizon: horizon, frequency: table.frequency, noiseScale: 0,
                                                generator: &noise, batchSize: 256, prepack: prepack)
                return Measurement.now() - begin
            }
            let seconds = try time(inputs, prepack: false)
            let grouped = try time(mixed, prepack: false), packed = try time(mixed, prepack: true)
            let result = Result(model: path, method: forecaster.configuration.method.rawValue, parameters: network.parameterCount,
                                windows: inputs.count, lookback: lookback, horizon: horizon, seconds: seconds,
                                windowsPerSecond: Double(inputs.count) / seconds,
                                mixedGroupedWindowsPerSecond: Double(inputs.count) / grouped,
                                mixedPrepackedWindowsPerSecond: Double(inputs.count) / packed)
            report(String(format: "%@ (%@, %d parameters): %d windows L=%d H=%d  %.1f windows/s  mixed lengths: grouped %.1f, prepacked %.1f windows/s",
                          path, result.method, result.parameters, result.windows, lookback, horizon, result.windowsPerSecond,
                          result.mixedGroupedWindowsPerSecond, result.mixedPrepackedWindowsPerSecond))
            results.append(result)
        }
        if json { try Measurement.printJSON(results) }
    }
}
