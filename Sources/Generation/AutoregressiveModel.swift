/// A model that extends sequences one step at a time, keeping per-sequence state (a KV cache).
///
/// The generator never looks inside `State`: it only creates, copies, measures and truncates
/// it through the model, so a transformer can keep its KV cache there while a test double
/// keeps a plain token array.
///
/// ```swift
/// final class BigramModel: AutoregressiveModel {
///     let table: [[Float]]                      // [V, V] logits of the next token
///     var vocabularySize: Int { table.count }
///     func makeState() -> [Int] { [] }
///     func copyState(_ state: [Int]) -> [Int] { state }
///     func length(of state: [Int]) -> Int { state.count }
///     func truncate(_ state: inout [Int], to length: Int) { state.removeLast(state.count - length) }
///     func logits(appending tokens: [[Int]], to states: inout [[Int]]) throws -> [[[Float]]] {
///         zip(tokens.indices, tokens).map { i, new in
///             states[i] += new
///             return new.map { table[$0] }
///         }
///     }
/// }
/// let generator = TokenGenerator(model: BigramModel(table: table))
/// ```
public protocol AutoregressiveModel: AnyObject {
    associatedtype State
    var vocabularySize: Int { get }
    /// A fresh, empty state for one sequence.
    func makeState() -> State
    /// An independent copy (beam search forks beams).
    func copyState(_ state: State) -> State
    /// Number of tokens the state holds.
    func length(of state: State) -> Int
    /// Drops everything after the first `length` tokens (speculative decoding rolls back).
    func truncate(_ state: inout State, to length: Int)
    /// Appends `tokens[i]` (one or more new tokens; counts may differ per sequence) to `states[i]`
    /// and returns, for each sequence, the logits of EVERY new position: result[i][j] has
    /// `vocabularySize` floats for the j-th new token of sequence i.
    func logits(appending tokens: [[Int]], to states: inout [State]) throws -> [[[Float]]]
}

extension AutoregressiveModel {
    /// Feeds `tokens` to `states` and returns the logits of the LAST new position of each
    /// sequence, checking the model's output shape so a faulty model fails loudly here
    /// instead of as an index trap deep inside a sampler.
    func nextTokenLogits(appending tokens: [[Int]], to states: inout [State]) throws -> [[Float]] {
        let output = try logits(appending: tokens, to: &states)
        guard output.count == tokens.count else {
            throw GenerationError.modelOutputMismatch(
                detail: "returned logits for \(output.count) sequences, expected \(tokens.count)")
        }
        var last: [[Float]] = []
        last.reserveCapacity(output.count)
        for (i, positions) in output.enumerated() {
            guard positions.count == tokens[i].count, let final = positions.last else {
                throw GenerationError.modelOutputMismatch(
                    detail: "sequence \(i): returned \(positions.count) positions, expected \(tokens[i].count)")
            }
            guard final.count == vocabularySize else {
                throw GenerationError.modelOutputMismatch(
                    detail: "sequence \(i): returned \(final.count) logits, expected vocabularySize \(vocabularySize)")
            }
            last.append(final)
        }
        return last
    }
}
