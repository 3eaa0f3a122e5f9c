import Foundation
import Generation
import NeuralNetworks
import Tensors

// The generator of SEAL (Bevilacqua et al. 2022, Section 3.1): a model of P(n | q), the
// probability of an n-gram n given a query q. SEAL fine-tunes BART (encoder-decoder); here
// the model is a decoder-only NextToken transformer that reads `query <marker>` as its
// prompt and continues with the n-gram, which gives the same conditional factorisation.

/// A prompt run through the generator: its cache and the logits after its last token.
public struct PrefilledPrompt: @unchecked Sendable {
    // @unchecked: the cache is a reference; users copy it (`model.copyState`) before appending.
    /// The prompt tokens.
    public var tokens: [Int]
    /// The model state holding the prompt.
    public var state: SequenceCache
    /// Logits of the next token after the prompt.
    public var lastLogits: [Float]
}

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

    /// Runs prompts through the model and keeps, per prompt, its cache and the logits of
    /// its last token.
    ///
    /// - Parameter packed: prefill all prompts as one packed batch (prepacking, Zhao et al.
    ///   2024: first-fit-decreasing rows, block-diagonal mask, restarting positions) instead
    ///   of one at a time; the caches and logits are the same up to float rounding.
    public func prefill(_ prompts: [[Int]], packed: Bool) throws -> [PrefilledPrompt] {
        guard !prompts.isEmpty else { return [] }
        if let empty = prompts.firstIndex(where: \.isEmpty) {
            throw RetrievalError.invalidSetting(field: "prompt", reason: "prompt \(empty) is empty")
        }
        if packed {
            let (logits, caches) = try model.prefillPacked(prompts)
            return prompts.indices.map { PrefilledPrompt(tokens: prompts[$0], state: caches[$0], lastLogits: logits[$0]) }
        }
        return try prompts.map { prompt in
            var states = [model.makeState()]
            let logits = try model.logits(appending: [prompt], to: &states)[0].last!
            return PrefilledPrompt(tokens: prompt, state: states[0], lastLogits: logits)
        }
    }

    /// For every continuation, the log-probability of each of its tokens given `prompt` and
    /// the tokens before it, from the unconstrained softmax (as SEAL scores n-grams).
    ///
    /// The prompt runs once; its cache is copied for each continuation, and continuations of
    /// equal length run as one batch.
    /// - Returns: `result[i][j] = log P(continuations[i][j] | prompt, continuations[i][..<j])`.
    public func logProbabilities(prompt: [Int], continuations: [[Int]]) throws -> [[Double]] {
        guard !prompt.isEmpty else { throw RetrievalError.invalidSetting(field: "prompt", reason: "empty") }
        return try logProbabilities(after: prefill([prompt], packed: false)[0], continuations: continuations)
    }

    /// ``logProbabilities(prompt:continuations:)`` for an already prefilled prompt (left unchanged).
    public func logProbabilities(after prompt: PrefilledPrompt, continuations: [[Int]]) throws -> [[Double]] {
        let firstLog = Self.logSoftmax(prompt.lastLogits)
        var result = continuations.map { [Double](repeating: 0, count: $0.count) }
        var byLength: [Int: [Int]] = [:]
        for (index, continuation) in continuations.enumerated() where !continuation.isEmpty {
            result[index][0] = firstLog[continuation[0]]
            if continuation.count > 1 { byLength[continuation.count, default: []].append(index) }
        }
        for (_, members) in byLength.sorted(by: { $0.key < $1.key }) {
            for chunk in stride(from: 0, to: members.count, by: 32).map({ Array(members[$0..<min($0 + 32, members.count)]) }) {
                var states = chunk.map { _ in model.copyState(prompt.state) }
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
