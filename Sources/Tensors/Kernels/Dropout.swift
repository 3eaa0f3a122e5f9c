/// Inverted dropout (Srivastava et al. 2014): zero each element with probability `p` and
/// scale survivors by `1 / (1 - p)`, so inference needs no rescaling.
extension Tensor {
    /// The mask dropout multiplies by: 0 or `1 / (1 - probability)` per element.
    public static func dropoutMask(_ shape: [Int], probability: Float, using generator: inout SeededGenerator) throws -> Tensor {
        guard probability >= 0, probability < 1 else {
            throw TensorError.invalidArgument(operation: "dropout", detail: "probability \(probability) must be in [0, 1)")
        }
        let keep = 1 / (1 - probability)
        let mask = Tensor(uninitializedShape: shape)
        for i in 0..<mask.count { mask.base[i] = generator.nextUnitFloat() < probability ? 0 : keep }
        return mask
    }
}
