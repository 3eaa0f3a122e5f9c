import Foundation
import Generation
import Tensors

/// A deterministic bigram model: the logits of the next token depend only on the last token.
/// State is the token array, so it is trivially copyable and inspectable.
final class BigramModel: AutoregressiveModel {
    /// [V, V]: row `t` holds the logits after token `t`.
    let table: [[Float]]
    /// Sizes of the batches passed to `logits(appending:to:)`, one entry per call.
    private(set) var batchSizes: [Int] = []

    init(table: [[Float]]) { self.table = table }

    /// A random table with standard normal logits scaled by `scale`.
    convenience init(vocabularySize: Int, seed: UInt64, scale: Float = 2) {
        var generator = SeededGenerator(seed: seed)
        let table = (0..<vocabularySize).map { _ in (0..<vocabularySize).map { _ in scale * generator.nextNormal() } }
        self.init(table: table)
    }

    var vocabularySize: Int { table.count }
    func makeState() -> [Int] { [] }
    func copyState(_ state: [Int]) -> [Int] { state }
    func length(of state: [Int]) -> Int { state.count }
    func truncate(_ state: inout [Int], to length: Int) { state.removeLast(state.count - length) }

    func logits(appending tokens: [[Int]], to states: inout [[Int]]) throws -> [[[Float]]] {
        batchSizes.append(tokens.count)
        return tokens.indices.map { i in
            states[i] += tokens[i]
            return tokens[i].map { table[$0] }
        }
    }
}

/// A model whose next-token logits are an arbitrary function of the whole context.
final class ContextModel: AutoregressiveModel {
    let vocabularySize: Int
    let next: ([Int]) -> [Float]
    private(set) var callCount = 0

    init(vocabularySize: Int, next: @escaping ([Int]) -> [Float]) {
        self.vocabularySize = vocabularySize
        self.next = next
    }

    /// Logits from a table of probabilities keyed by the generated suffix after the prompt;
    /// contexts missing from the table get a uniform distribution.
    convenience init(vocabularySize: Int, promptLength: Int, probabilities: [[Int]: [Double]]) {
        self.init(vocabularySize: vocabularySize) { context in
            let generated = Array(context.dropFirst(promptLength))
            let p = probabilities[generated] ?? Array(repeating: 1 / Double(vocabularySize), count: vocabularySize)
            return p.map { Float(log($0)) }
        }
    }

    func makeState() -> [Int] { [] }
    func copyState(_ state: [Int]) -> [Int] { state }
    func length(of state: [Int]) -> Int { state.count }
    func truncate(_ state: inout [Int], to length: Int) { state.removeLast(state.count - length) }

    func logits(appending tokens: [[Int]], to states: inout [[Int]]) throws -> [[[Float]]] {
        callCount += 1
        return tokens.indices.map { i in
            tokens[i].map { token in
                states[i].append(token)
                return next(states[i])
            }
        }
    }
}

/// A model returning rows of the wrong width, to check the generator's output validation.
final class BrokenModel: AutoregressiveModel {
    var vocabularySize: Int { 4 }
    func makeState() -> Int { 0 }
    func copyState(_ state: Int) -> Int { state }
    func length(of state: Int) -> Int { state }
    func truncate(_ state: inout Int, to length: Int) { state = length }
    func logits(appending tokens: [[Int]], to states: inout [Int]) throws -> [[[Float]]] {
        tokens.map { $0.map { _ in [0, 0, 0] } }
    }
}

/// Log-probabilities of a row of logits, in Double, for reference computations.
func referenceLogSoftmax(_ logits: [Float]) -> [Double] {
    let peak = Double(logits.max()!)
    let logTotal = peak + log(logits.reduce(0.0) { $0 + exp(Double($1) - peak) })
    return logits.map { Double($0) - logTotal }
}

/// Argmax with ties to the lowest index.
func argmax(_ values: [Float]) -> Int {
    values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
}

/// The field a settings error blames, or nil for any other error (or none).
func field(of error: (any Error)?) -> String? {
    switch error as? GenerationError {
    case let .invalidSetting(field, _)?: return field
    case let .tokenOutOfRange(field, _, _)?: return field
    default: return nil
    }
}
