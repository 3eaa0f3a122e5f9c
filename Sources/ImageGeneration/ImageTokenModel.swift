// ELM (Liu et al. 2024, "Elucidating the Design Space of Language Models for Image
// Generation"), section 3.2: a class token prefixes the token grid; each grid position's
// sub-tokens are embedded and summed into one input slot, and one output head per sub-token
// predicts them. AR models use causal attention in raster order; MLM models (MaskGIT, Chang
// et al. 2022, section 3.1) see the whole grid with masked slots and predict those.

import Autograd
import Foundation
import NeuralNetworks
import Tensors

/// A class-conditional language model over image tokens, on the project's
/// ``DecoderTransformer``.
///
/// ```swift
/// var g = SeededGenerator(seed: 0)
/// let model = try ImageTokenModel(configuration: GeneratorConfiguration(), generator: &g)
/// let loss = try model.loss(classes: [3], tokens: [tokens], generator: &g)
/// ```
public final class ImageTokenModel: Module {
    /// The validated shape the model was built with.
    public let configuration: GeneratorConfiguration
    /// The decoder over `1 + positionCount` slots (causal for AR, bidirectional for MLM); its token table is unused.
    public let transformer: DecoderTransformer
    /// `[classCount + 1, C]`; the last row is "no class".
    public let classEmbedding: Embedding
    /// One table per sub-token, `[subVocabularySize + 1, C]`; the last row is the mask token.
    public let tokenEmbeddings: [Embedding]
    /// One output head per sub-token, `[subVocabularySize, C]`.
    public let heads: [Linear]

    /// A freshly initialised model.
    ///
    /// - Throws: ``ImageDataError`` when the configuration is invalid; decoder configuration errors.
    public init(configuration c: GeneratorConfiguration, generator g: inout SeededGenerator) throws {
        try c.validate()
        configuration = c
        transformer = try DecoderTransformer(configuration: c.decoder, generator: &g)
        let width = c.decoder.hiddenSize
        classEmbedding = Embedding(count: c.classCount + 1, dimension: width, generator: &g)
        tokenEmbeddings = (0..<c.subTokenCount).map { _ in Embedding(count: c.subVocabularySize + 1, dimension: width, generator: &g) }
        heads = (0..<c.subTokenCount).map { _ in Linear(inputSize: width, outputSize: c.subVocabularySize, bias: false, standardDeviation: 0.02, generator: &g) }
        assignParameterNames()
    }

    /// The class id that means "no class".
    public var nullClass: Int { configuration.classCount }
    /// The sub-token id of a masked slot.
    public var maskToken: Int { configuration.subVocabularySize }

    /// Embeddings `[B, m, C]` of `m` grid positions per row (`tokens[b]` holds `m * S` ids).
    func positionEmbeddings(_ tokens: [[Int]]) throws -> Variable {
        let s = configuration.subTokenCount
        var sum: Variable?
        for slot in 0..<s {
            let ids = tokens.map { row in stride(from: slot, to: row.count, by: s).map { row[$0] } }
            let embedded = try tokenEmbeddings[slot](ids)
            sum = try sum.map { try $0 + embedded } ?? embedded
        }
        return sum!
    }

    /// Inputs `[B, 1 + m, C]`: the class slot, then `m` position slots.
    func inputEmbeddings(classes: [Int], tokens: [[Int]]) throws -> Variable {
        let classes = try classEmbedding(classes.map { [$0] })
        guard let first = tokens.first, !first.isEmpty else { return classes }
        return try Variable.concatenate([classes, positionEmbeddings(tokens)], axis: 1)
    }

    /// Logits `[R, V]` of each head for hidden rows `[R, C]`.
    func headLogits(_ rows: Variable) throws -> [Variable] {
        try heads.map { try $0(rows) }
    }

    /// A bidirectional attention mask for `batch` sequences of `length` slots.
    static func fullMask(batch: Int, length: Int) -> Attention.Mask {
        .additive(Tensor.zeros([batch, length, length]))
    }

    func checkTokens(classes: [Int], tokens: [[Int]]) throws {
        let c = configuration, perImage = c.positionCount * c.subTokenCount
        guard classes.count == tokens.count, !tokens.isEmpty else {
            throw ImageDataError.invalidArgument(detail: "\(classes.count) classes for \(tokens.count) token rows")
        }
        if let bad = classes.first(where: { $0 < 0 || $0 > c.classCount }) {
            throw ImageDataError.invalidArgument(detail: "class \(bad) is outside 0...\(c.classCount)")
        }
        for (row, values) in tokens.enumerated() {
            guard values.count == perImage else {
                throw ImageDataError.invalidArgument(detail: "token row \(row) has \(values.count) tokens, expected \(perImage)")
            }
            if let bad = values.first(where: { $0 < 0 || $0 >= c.subVocabularySize }) {
                throw ImageDataError.invalidArgument(detail: "token \(bad) in row \(row) is outside 0..<\(c.subVocabularySize)")
            }
        }
    }

    /// The training loss on a batch: mean cross-entropy over sub-token heads.
    ///
    /// AR: slot `i` (class, then positions `0..<i`) predicts position `i`. MLM: a MaskGIT
    /// share `cos(pi/2 u)`, `u ~ U(0, 1)`, of positions is masked and predicted.
    /// Classes are dropped to "no class" with probability `classDropout` (guidance).
    public func loss(classes: [Int], tokens: [[Int]], generator: inout SeededGenerator) throws -> Variable {
        try checkTokens(classes: classes, tokens: tokens)
        let c = configuration, n = c.positionCount, s = c.subTokenCount, b = tokens.count
        let conditioned = classes.map { Float.random(in: 0..<1, using: &generator) < c.classDropout ? nullClass : $0 }
        var targets = [[Int]](repeating: [], count: s)
        let rows: Variable
        switch c.kind {
        case .autoregressive:
            let input = try inputEmbeddings(classes: conditioned, tokens: tokens.map { Array($0[0..<((n - 1) * s)]) })
            rows = try transformer.hiddenStates(.embeddings(input)).reshaped([b * n, c.decoder.hiddenSize])
            for row in tokens { for p in 0..<n { for slot in 0..<s { targets[slot].append(row[p * s + slot]) } } }
        case .masked:
            var masked = tokens
            for (index, row) in tokens.enumerated() {
                let ratio = Foundation.cos(Double.pi / 2 * Double.random(in: 0..<1, using: &generator))
                let count = Swift.max(1, Int((ratio * Double(n)).rounded(.up)))
                let chosen = Set((0..<n).shuffled(using: &generator).prefix(count))
                for p in 0..<n {
                    for slot in 0..<s {
                        if chosen.contains(p) { masked[index][p * s + slot] = maskToken }
                        targets[slot].append(chosen.contains(p) ? row[p * s + slot] : -100)
                    }
                }
            }
            let input = try inputEmbeddings(classes: conditioned, tokens: masked)
            let hidden = try transformer.hiddenStates(.embeddings(input), mask: Self.fullMask(batch: b, length: n + 1))
            rows = try hidden.sliced(axis: 1, range: 1..<(n + 1)).reshaped([b * n, c.decoder.hiddenSize])
        }
        var total: Variable?
        for (slot, logits) in try headLogits(rows).enumerated() {
            let term = try logits.crossEntropy(targets: targets[slot])
            total = try total.map { try $0 + term } ?? term
        }
        return total! * (1 / Float(s))
    }
}
