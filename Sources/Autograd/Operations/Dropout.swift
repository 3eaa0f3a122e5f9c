import Tensors

extension Variable {
    /// Inverted dropout with drop probability `probability`; the identity when not training
    /// or when the probability is 0. The mask is drawn from `generator`, so runs are
    /// reproducible under a seed.
    public func dropout(probability: Float, training: Bool, using generator: inout SeededGenerator) throws -> Variable {
        guard training, probability > 0 else { return self }
        let mask = try Tensor.dropoutMask(shape, probability: probability, using: &generator)
        return Tape.record(try value * mask, inputs: [self]) { g in [try g * mask] }
    }
}
