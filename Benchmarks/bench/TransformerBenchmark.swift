import ArgumentParser
import Autograd
import Foundation
import NeuralNetworks
import Tensors

/// `bench transformer`: training, prefill and decode tokens/s and peak memory for the
/// configurations of `Benchmarks/peers/configs.json`, measured as `torch_gpt_bench.py` measures
/// PyTorch (same model, same modes, medians), so the two can run one after the other.
struct TransformerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transformer",
        abstract: "Train / prefill / decode tokens/s and peak RSS of a GPT-2 style model (PyTorch peer: Benchmarks/peers/torch_gpt_bench.py).")

    @Option(help: "small | medium (Benchmarks/peers/configs.json).") var config = "small"
    @Option(help: "train | prefill | decode | all (all runs each mode in its own process so peak RSS is per mode).") var mode = "all"
    @Option(help: "Path of configs.json.") var configs = "Benchmarks/peers/configs.json"
    @Option(help: "Threads for BLAS and kernels.") var threads = 2
    @Option(help: "Timed training steps.") var trainSteps = 6
    @Option(help: "Timed prefill runs.") var prefillIterations = 5
    @Option(help: "Timed decode runs.") var decodeIterations = 3
    @Option(help: "Tokens generated per decode run.") var decodeTokens = 64
    @Flag(help: "Print results as JSON lines on stdout.") var json = false

    struct Sizes: Decodable { let layers: Int, d_model: Int, heads: Int, context: Int, vocab: Int, batch: Int }
    struct ConfigsFile: Decodable { let configs: [String: Sizes] }

    struct Result: Codable {
        let config: String, mode: String, variant: String
        let tokensPerSecond: Double, bestTokensPerSecond: Double, seconds: Double
        let peakResidentMiB: Double, parameters: Int
        /// Matmul FLOPs per token of this mode (forward; x3 for training).
        let modelFLOPsPerToken: Double
        /// Achieved model FLOP/s over the Tensor-API sgemm peak measured in the same process.
        let modelFLOPUtilization: Double
        let peakGFLOPs: Double
    }

    /// Matmul FLOPs per token of one forward pass: 2 x (linear weights + LM head) plus
    /// attention's Q K^T and P V over `keys` keys (computed in full, causal or not).
    static func forwardFLOPsPerToken(_ s: Sizes, keys: Int) -> Double {
        let c = Double(s.d_model), layers = Double(s.layers)
        let linear = layers * 12 * c * c + Double(s.vocab) * c
        return 2 * linear + layers * 4 * Double(keys) * c
    }

    /// Tensor-API sgemm GFLOP/s at 1024^3, median of 5, in this process.
    static func measuredPeakGFLOPs() throws -> Double {
        let a = Tensor.ones([1024, 1024]), b = Tensor.ones([1024, 1024])
        let seconds = try Measurement.medianSeconds(repetitions: 5) { _ = try a.matmul(b) }
        return 2 * pow(1024, 3) / seconds / 1e9
    }

    func run() throws {
        if mode == "all" {
            // One process per mode, as the PyTorch script does, so each peak RSS is its own.
            for single in ["train", "prefill", "decode"] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
                var arguments = ["transformer", "--config", config, "--mode", single, "--configs", configs, "--threads", "\(threads)",
                                 "--train-steps", "\(trainSteps)", "--prefill-iterations", "\(prefillIterations)",
                                 "--decode-iterations", "\(decodeIterations)", "--decode-tokens", "\(decodeTokens)"]
                if json { arguments.append("--json") }
                process.arguments = arguments
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
            }
            return
        }
        Parallelism.setThreadCount(threads)
        let data = try Data(contentsOf: URL(fileURLWithPath: configs))
        guard let sizes = try JSONDecoder().decode(ConfigsFile.self, from: data).configs[config] else {
            throw ValidationError("no configuration '\(config)' in \(configs)")
        }
        var c = DecoderConfiguration()
        c.flavor = .gpt2
        c.vocabularySize = sizes.vocab
        c.contextLength = sizes.context
        c.hiddenSize = sizes.d_model
        c.layerCount = sizes.layers
        c.headCount = sizes.heads
        var generator = SeededGenerator(seed: 0)
        let model = try DecoderTransformer(configuration: c, generator: &generator)
        // Warm OpenBLAS up with one large product (Benchmarks/peers/README.md).
        _ = try Tensor.ones([512, 512]).matmul(Tensor.ones([512, 512]))

        let peak = try Self.measuredPeakGFLOPs()
        var results: [Result] = []
        func record(_ variant: String, tokens: Int, times: [Double], flopsPerToken: Double) {
            let sorted = times.sorted()
            let median = sorted[sorted.count / 2]
            let rate = Double(tokens) / median
            results.append(Result(config: config, mode: mode, variant: variant, tokensPerSecond: rate,
                                  bestTokensPerSecond: Double(tokens) / sorted[0], seconds: median,
                                  peakResidentMiB: Double(Measurement.peakResidentBytes()) / 1_048_576, parameters: model.parameterCount,
                                  modelFLOPsPerToken: flopsPerToken, modelFLOPUtilization: rate * flopsPerToken / (peak * 1e9),
                                  peakGFLOPs: peak))
        }
        switch mode {
        case "train":
            let trainer = try BenchmarkTrainer(model: model)
            var rng = SeededGenerator(seed: 1)
            func batch() -> ([[Int]], [Int]) {
                let x = (0..<sizes.batch).map { _ in (0..<sizes.context).map { _ in Int(rng.next() % UInt64(sizes.vocab)) } }
                let y = (0..<(sizes.batch * sizes.context)).map { _ in Int(rng.next() % UInt64(sizes.vocab)) }
                return (x, y)
            }
            for _ in 0..<2 { let (x, y) = batch(); _ = try trainer.step(x, y) }
            var times: [Double] = []
            for _ in 0..<trainSteps {
                let (x, y) = batch()
                let start = Measurement.now()
                _ = try trainer.step(x, y)
                times.append(Measurement.now() - start)
            }
            record("eager", tokens: sizes.batch * sizes.context, times: times,
                   flopsPerToken: 3 * Self.forwardFLOPsPerToken(sizes, keys: sizes.context))
        case "prefill":
            var rng = SeededGenerator(seed: 1)
            let prompts = (0..<sizes.batch).map { _ in (0..<sizes.context).map { _ in Int(rng.next() % UInt64(sizes.vocab)) } }
            func prefill() throws {
                let caches = (0..<sizes.batch).map { _ in model.makeCache(capacity: sizes.context) }
                let hidden = try model.hiddenStates(.tokens(prompts), caches: caches)
                let last = try hidden.value.sliced(axis: 1, range: (sizes.context - 1)..<sizes.context)
                _ = try Tape.withoutGradient { try model.logits(fromHidden: Variable(last)) }
            }
            for _ in 0..<2 { try prefill() }
            var times: [Double] = []
            for _ in 0..<prefillIterations {
                let start = Measurement.now()
                try prefill()
                times.append(Measurement.now() - start)
            }
            // Prefill computes the LM head for the last position only.
            let prefillFLOPs = Self.forwardFLOPsPerToken(sizes, keys: sizes.context) - 2 * Double(sizes.vocab * sizes.d_model) * Double(sizes.context - 1) / Double(sizes.context)
            record("eager", tokens: sizes.batch * sizes.context, times: times, flopsPerToken: prefillFLOPs)
        case "decode":
            for batchSize in [sizes.batch, 1] {
                let promptLength = sizes.context / 2
                let newTokens = min(decodeTokens, sizes.context - promptLength)
                var rng = SeededGenerator(seed: 2)
                let prompts = (0..<batchSize).map { _ in (0..<promptLength).map { _ in Int(rng.next() % UInt64(sizes.vocab)) } }
                let caches = (0..<batchSize).map { _ in model.makeCache(capacity: sizes.context) }
                _ = try model.hiddenStates(.tokens(prompts.map { Array($0.dropLast()) }), caches: caches)
                func decode(_ count: Int) throws {
                    var tokens = prompts.map { [$0.last!] }
                    for _ in 0..<count {
                        let hidden = try model.hiddenStates(.tokens(tokens), caches: caches)
                        let logits = try Tape.withoutGradient { try model.logits(fromHidden: hidden) }.value
                        let next = try logits.argmax(axis: -1)
                        tokens = next.map { [$0] }
                    }
                    for cache in caches { cache.truncate(to: promptLength - 1) }
                }
                try decode(min(4, newTokens))
                var times: [Double] = []
                for _ in 0..<decodeIterations {
                    let start = Measurement.now()
                    try decode(newTokens)
                    times.append(Measurement.now() - start)
                }
                record("batch\(batchSize)", tokens: batchSize * newTokens, times: times,
                       flopsPerToken: Self.forwardFLOPsPerToken(sizes, keys: promptLength + newTokens / 2))
            }
        default:
            throw ValidationError("unknown mode '\(mode)'")
        }
        for r in results {
            report(String(format: "%@ %@ %@: %.0f tokens/s (best %.0f), peak RSS %.0f MiB, %d parameters, MFU %.0f%% of %.0f GFLOP/s",
                          r.config, r.mode, r.variant, r.tokensPerSecond, r.bestTokensPerSecond, r.peakResidentMiB, r.parameters,
                          100 * r.modelFLOPUtilization, r.peakGFLOPs))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(r), as: UTF8.self))
            }
        }
    }
}
