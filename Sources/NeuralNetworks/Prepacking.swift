import Autograd
import Tensors

/// Prepacking (Zhao et al. 2024, "Prepacking: A Simple Method for Fast Prefilling and
/// Increased Throughput in Large Language Models", section 3): prompts of different lengths
/// are bin-packed into rows with first-fit decreasing; a block-diagonal causal mask keeps
/// each prompt to itself and position ids restart at 0 for each prompt, so every prompt's
/// logits and keys/values equal those of prefilling it alone, without the padding a
/// rectangular batch would compute.
public struct PackedBatch: Sendable {
    /// Where one prompt sits: row, first column, length.
    public struct Placement: Sendable, Equatable {
        /// Row of the packed batch.
        public let row: Int
        /// Column where the prompt starts in that row.
        public let offset: Int
        /// Number of tokens in the prompt.
        public let length: Int

        /// Creates a placement.
        public init(row: Int, offset: Int, length: Int) {
            (self.row, self.offset, self.length) = (row, offset, length)
        }
    }

    /// Token rows, all `capacity` long (unused slots hold token 0).
    public let tokens: [[Int]]
    /// Position ids, restarting at 0 for each prompt.
    public let positions: [[Int]]
    /// `placements[i]` is where prompt `i` went.
    public let placements: [Placement]
    /// Row length.
    public let capacity: Int

    /// Packs `prompts` (first-fit decreasing) into rows of `capacity` tokens
    /// (default: the longest prompt).
    public init(prompts: [[Int]], capacity: Int? = nil) throws {
        guard !prompts.isEmpty, prompts.allSatisfy({ !$0.isEmpty }) else {
            throw ModelError.invalidInput(detail: "prepacking needs at least one prompt and no empty prompts")
        }
        let capacity = capacity ?? prompts.map(\.count).max()!
        if let tooLong = prompts.firstIndex(where: { $0.count > capacity }) {
            throw ModelError.invalidInput(detail: "prompt \(tooLong) has \(prompts[tooLong].count) tokens, more than the row capacity \(capacity)")
        }
        self.init(validated: prompts, capacity: capacity)
    }

    private init(validated prompts: [[Int]], capacity: Int) {
        // First-fit decreasing: longest prompts first, each into the first row with room.
        let order = prompts.indices.sorted { prompts[$0].count != prompts[$1].count ? prompts[$0].count > prompts[$1].count : $0 < $1 }
        var loads: [Int] = []
        var rowsOf = [Int](repeating: 0, count: prompts.count)
        for index in order {
            let length = prompts[index].count
            if let row = loads.firstIndex(where: { $0 + length <= capacity }) {
                rowsOf[index] = row
                loads[row] += length
            } else {
                rowsOf[index] = loads.count
                loads.append(length)
            }
        }
        var tokens = [[Int]](repeating: [Int](repeating: 0, count: capacity), count: loads.count)
        var positions = [[Int]](repeating: [Int](repeating: 0, count: capacity), count: loads.count)
        var fill = [Int](repeating: 0, count: loads.count)
        var placements = [Placement](repeating: Placement(row: 0, offset: 0, length: 0), count: prompts.count)
        for index in order {
            let row = rowsOf[index], offset = fill[row], length = prompts[index].count
            tokens[row].replaceSubrange(offset..<(offset + length), with: prompts[index])
            positions[row].replaceSubrange(offset..<(offset + length), with: 0..<length)
            placements[index] = Placement(row: row, offset: offset, length: length)
            fill[row] += length
        }
        self.tokens = tokens
        self.positions = positions
        self.placements = placements
        self.capacity = capacity
    }

    /// The block-diagonal causal mask `[R, L, L]`: 0 where a token may attend, -inf elsewhere.
    /// Unused slots attend only to themselves (their outputs are never read).
    public func mask() -> Tensor {
        let (rows, length) = (tokens.count, capacity)
        var values = [Float](repeating: -.infinity, count: rows * length * length)
        var segment = [[Int]](repeating: [Int](repeating: -1, count: length), count: rows)
        for (index, placement) in placements.enumerated() {
            for column in placement.offset..<(placement.offset + placement.length) { segment[placement.row][column] = index }
        }
        for row in 0..<rows {
            for query in 0..<length {
                for key in 0...query where segment[row][key] == segment[row][query] && (segment[row][query] >= 0 || key == query) {
                    values[(row * length + query) * length + key] = 0
                }
            }
        }
        return Tensor(shape: [rows, length, length], values: values)
    }
}

extension DecoderTransformer {
    /// Prefills `prompts` packed into as few rows as possible and returns, per prompt, the
    /// logits of its last token and a cache holding its keys and values (unpacked), ready
    /// for generation.
    public func prefillPacked(_ prompts: [[Int]], capacity: Int? = nil) throws -> (logits: [[Float]], caches: [SequenceCache]) {
        let batch = try PackedBatch(prompts: prompts, capacity: capacity)
        let caches = prompts.map { makeCache(capacity: Swift.max(64, $0.count * 2)) }
        let hidden = try Tape.withoutGradient {
            try packedHiddenStates(batch, caches: caches)
        }
        // Logits at each prompt's last token only.
        let width = configuration.hiddenSize
        let values = hidden.scalars  // one copy, not one per prompt
        var rows = [Float](repeating: 0, count: prompts.count * width)
        for (index, placement) in batch.placements.enumerated() {
            let source = (placement.row * batch.capacity + placement.offset + placement.length - 1) * width
            rows.replaceSubrange((index * width)..<((index + 1) * width), with: values[source..<(source + width)])
        }
        let last = Variable(Tensor(shape: [prompts.count, 1, width], values: rows))
        let logits = try Tape.withoutGradient { try self.logits(fromHidden: last) }.value.scalars
        let vocabulary = configuration.vocabularySize
        return ((0..<prompts.count).map { Array(logits[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }, caches)
    }

    /// The packed forward pass; each block copies its prompts' keys and values into their caches.
    private func packedHiddenStates(_ batch: PackedBatch, caches: [SequenceCache]) throws -> Tensor {
        var x = try embedding(batch.tokens)
        if let positionEmbedding { x = try x + positionEmbedding(batch.positions) }
        let mask = batch.mask()
        for (index, block) in blocks.enumerated() {
            let layerCaches = caches.map { $0.layers[index] }
            let normed = try block.attentionNorm(x)
            let attended = try block.attention.packed(normed, positions: batch.positions, mask: mask,
                                                      placements: batch.placements, caches: layerCaches)
            let residual = try x + attended
            x = try residual + block.feedForward(block.feedForwardNorm(residual))
        }
        return try finalNorm(x).value
    }
}
