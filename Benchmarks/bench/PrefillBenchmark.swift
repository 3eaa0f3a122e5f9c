import ArgumentParser
import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Tokenizers

/// `bench prefill`: padded vs packed (prepacking) batched prefill of prompts of different
/// lengths, time and peak memory; the PyTorch peer is `torch_gpt_bench.py --mode prepack`.
struct PrefillBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefill", abstract: "Padded vs packed prefill of prompts of mixed lengths (Zhao et al. 2024).")

    @Option(help: "small | medium (Benchmarks/peers/configs.json).") var config = "small"
    @Option(help: "lognormal (32 prompts, median 64, sigma 0.8, clipped to 16..512, as the PyTorch script) | squad (questions with their passages).")
    var prompts = "lognormal"
    @Option(help: "padded | packed | all (all: each in its own process, for peak memory).") var variant = "all"
    @Option(help: "Path of configs.json.") var configs = "Benchmarks/peers/configs.json"
    @Option(help: "Folder of the retrieval data (squad prompts).") var data = "data/retrieval"
    @Option(help: "GPT-2 tokenizer folder (squad prompts).") var tokenizer = "Tests/Fixtures/gpt2-tokenizer"
    @Option(help: "Number of prompts.") var count = 32
    @Option(help: "Timed runs.") var iterations = 3
    @Flag(help: "JSON lines on stdout.") var json = false

    struct Result: Codable {
        let config: String, prompts: String, variant: String, promptCount: Int, realTokens: Int, computedTokens: Int, rows: Int
        let seconds: Double, peakResidentMiB: Double
    }

    func run() throws {
        if variant == "all" {
            for single in ["padded", "packed"] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
                process.arguments = ["prefill", "--config", config, "--prompts", prompts, "--variant", single, "--configs", configs,
                                     "--data", data, "--tokenizer", tokenizer, "--count", "\(count)", "--iterations", "\(iterations)"] + (json ? ["--json"] : [])
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
            }
            return
        }
        let sizes = try JSONDecoder().decode(TransformerBenchmark.ConfigsFile.self, from: Data(contentsOf: URL(fileURLWithPath: configs))).configs[config]!
        var c = DecoderConfiguration()
        (c.vocabularySize, c.contextLength, c.hiddenSize, c.layerCount, c.headCount) = (sizes.vocab, sizes.context, sizes.d_model, sizes.layers, sizes.heads)
        var generator = SeededGenerator(seed: 0)
        let model = try DecoderTransformer(configuration: c, generator: &generator)
        let inputs = try makePrompts(vocabulary: sizes.vocab, limit: sizes.context)
        let longest = inputs.map(\.count).max()!
        func once() throws -> (rows: Int, computed: Int) {
            if variant == "packed" {
                let batch = try PackedBatch(prompts: inputs)
                _ = try model.prefillPacked(inputs)
                return (batch.tokens.count, batch.tokens.count * batch.capacity)
            }
            // Padded: right-pad to the longest prompt; causal attention keeps pads out of real tokens.
            let rows = inputs.map { $0 + [Int](repeating: 0, count: longest - $0.count) }
            let caches = inputs.map { _ in model.makeCache(capacity: longest) }
            let hidden = try model.hiddenStates(.tokens(rows), caches: caches).value
            let width = c.hiddenSize
            var last = [Float](repeating: 0, count: inputs.count * width)
            let values = hidden.scalars
            for (i, prompt) in inputs.enumerated() {
                let source = (i * longest + prompt.count - 1) * width
                last.replaceSubrange((i * width)..<((i + 1) * width), with: values[source..<(source + width)])
            }
            _ = try Tape.withoutGradient { try model.logits(fromHidden: Variable(Tensor(shape: [inputs.count, 1, width], values: last))) }
            return (inputs.count, inputs.count * longest)
        }
        var shape = try once()
        var times: [Double] = []
        for _ in 0..<iterations {
            let start = Measurement.now()
            shape = try once()
            times.append(Measurement.now() - start)
        }
        let result = Result(config: config, prompts: prompts, variant: variant, promptCount: inputs.count,
                            realTokens: inputs.reduce(0) { $0 + $1.count }, computedTokens: shape.computed, rows: shape.rows,
                            seconds: times.sorted()[times.count / 2], peakResidentMiB: Double(Measurement.peakResidentBytes()) / 1_048_576)
        report(String(format: "%@ %@ %@: %d prompts, %d real tokens, %d computed in %d rows, %.3f s, peak RSS %.0f MiB",
                      config, prompts, variant, result.promptCount, result.realTokens, result.computedTokens, result.rows, result.seconds, result.peakResidentMiB))
        if json { print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self)) }
    }

    /// Prompt token ids: lognormal lengths (random ids), or SQuAD question + passage
    /// tokenised with GPT-2 BPE (ids folded into the model's vocabulary, lengths real).
    func makePrompts(vocabulary: Int, limit: Int) throws -> [[Int]] {
        var generator = SeededGenerator(seed: 1234)
        if prompts == "lognormal" {
            return (0..<count).map { _ in
                let normal = Double(generator.nextNormal())
                let length = min(min(512, limit), max(16, Int((exp(log(64.0) + 0.8 * normal)).rounded())))
                return (0..<length).map { _ in Int(generator.next() % UInt64(vocabulary)) }
            }
        }
        let bpe = try BytePairTokenizer(directory: URL(fileURLWithPath: tokenizer))
        func lines(_ name: String) throws -> [[String: Any]] {
            try String(contentsOfFile: "\(data)/\(name)", encoding: .utf8).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
        var passages: [String: String] = [:]
        for passage in try lines("squad-v1.1-dev.corpus.jsonl") { passages[passage["_id"] as! String] = passage["text"] as? String }
        let qrels = try String(contentsOfFile: "\(data)/squad-v1.1-dev.qrels.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
            .reduce(into: [String: String]()) { map, line in
                let fields = line.split(separator: "\t")
                if fields.count >= 2 { map[String(fields[0])] = String(fields[1]) }
            }
        // Every k-th question, so that the prompts spread over many passages.
        let queries = try lines("squad-v1.1-dev.queries.jsonl")
        let stride = max(1, queries.count / max(count, 1))
        return (0..<min(count, queries.count)).map { queries[$0 * stride] }.compactMap { query -> [Int]? in
            guard let id = query["_id"] as? String, let question = query["text"] as? String, let passage = qrels[id].flatMap({ passages[$0] }) else { return nil }
            let ids = bpe.encode("question: \(question) context: \(passage)").map { $0 % vocabulary }
            return Array(ids.prefix(limit))
        }
    }
}
