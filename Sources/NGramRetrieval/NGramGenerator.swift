import Foundation
import Generation
import NeuralNetworks
import Tensors

// The generator of SEAL (Bevilacqua et al. 2022, Section 3.1): a model of P(n | q), the
// probability of an n-gram n given a query q. SEAL fine-tunes BART (encoder-decoder); here
// the model is a decoder-only NextToken transformer that reads `query <marker>` as its
// prompt and continues with the n-gram, which gives the same conditional factorisation.

/// A decoder that generates corpus n-grams for a query and scores n-grams by log P(n | q).
///
/// ```swift
/// let generator = try NGramGenerator(directory: index.generatorDirectory)
/// let logP = try generator.logProbabilities(prompt: prompt, continuations: [[17, 4], [99]])
/// ```
public final class NGramGenerator: @unchecked Sendable {
    // @unchecked: the model's weights are only read after loading; each call builds its
    // own caches. Calls may run concurrently (the server does).

    /// The transformer.
    public let model: DecoderTransformer

    /// Wraps a model.
    public init(model: DecoderTransformer) {
        self.model = model
    }

    /// Loads a checkpoint folder (`config.json` + `model.safetensors`).
    public convenience init(directory: URL) throws {
        let directory = IndexFolder.resolve(directory)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) else {
            throw RetrievalError.invalidIndex(
                path: directory.deletingLastPathComponent().path,
                reason: "no trained generator in \(directory.lastPathComponent)/ (run `retrieve train` first)")
        }
        try self.init(model: DecoderTransformer.load(from: directory))
    }

    /// Token ids the model knows.
    public var vocabularySize: Int { model.configuration.vocabularySize }

    /// Longest prompt + n-gram the model accepts.
    public var contextLength: Int { model.configuration.contextLength }

    /// For every continuation, the log-probability of each of its tokens given `prompt` and
    /// the tokens before it, from the unconstrained softmax (as SEAL scores n-grams).
    ///
    /// The prompt runs once; its cache is copied for each continuation, and continuations of
    /// equal length run as one batch.
    /// - Returns: `result[i][j] = log P(continuations[i][j] | prompt, continuations[i][..<j])`.
    public func logProbabilities(prompt: [Int], continuations: [[Int]]) throws -> [[Double]] {
        guard !prompt.isEmpty else { throw RetrievalError.invalidSetting(field: "prompt", reason: "empty") }
        var base = [model.makeState()]
        let first = try model.logits(appending: [prompt], to: &base)[0].last!
        let firstLog = Self.logSoftmax(first)
        var result = continuations.map { [Double](repeating: 0, count: $0.count) }
        var byLength: [Int: [Int]] = [:]
        for (index, continuation) in continuations.enumerated() where !continuation.isEmpty {
            result[index][0] = firstLog[continuation[0]]
            if continuation.count > 1 { byLength[continuation.count, default: []].append(index) }
        }
        for (_, members) in byLength.sorted(by: { $0.key < $1.key }) {
            for chunk in stride(from: 0, to: members.count, by: 32).map({ Array(members[$0..<min($0 + 32, members.count)]) }) {
                var states = chunk.map { _ in model.copyState(base[0]) }
                let inputs = chunk.map { Array(continuations[$0].dropLast()) }
                let logits = try model.logits(appending: inputs, to: &states)
                for (row, index) in chunk.enumerated() {
                    for position in 0..<inputs[row].count {
                        let target = continuations[index][position + 1]
                        result[index][position + 1] = Self.logSoftmax(logits[row][position], at: target)
                    }
                }
            }
        }
        return result
    }

    /// Saves the model (fp16 when `halfPrecision`) into `directory`.
    public func save(to directory: URL, halfPrecision: Bool) throws {
        try model.save(to: directory, halfPrecision: halfPrecision)
    }

    static func logSoftmax(_ logits: [Float]) -> [Double] {
        let maximum = Double(logits.max() ?? 0)
        var sum = 0.0
        for value in logits { sum += exp(Double(value) - maximum) }
        let logSum = maximum + log(sum)
        return logits.map { Double($0) - logSum }
    }

    static func logSoftmax(_ logits: [Float], at index: Int) -> Double {
        let maximum = Double(logits.max() ?? 0)
        var sum = 0.0
        for value in logits { sum += exp(Double(value) - maximum) }
        return Double(logits[index]) - maximum - log(sum)
    }
}
