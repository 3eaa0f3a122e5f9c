#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numerically stable softmax helpers shared by the samplers, top-p and beam search.
///
/// Everything subtracts the largest finite logit before exponentiating and accumulates in
/// `Double`, so logits of any magnitude work and `-inf` entries contribute exactly zero.
enum LogitsMath {
    /// The largest logit, after checking the row can form a distribution.
    ///
    /// - Throws: ``GenerationError/invalidLogits(detail:)`` on NaN or +inf,
    ///   ``GenerationError/noValidToken(context:)`` when every entry is -inf.
    static func maximum(of logits: [Float], where place: @autoclosure () -> String) throws -> Float {
        var best = -Float.infinity
        for value in logits {
            if value.isNaN {
                throw GenerationError.invalidLogits(detail: "NaN in the logits (\(place()))")
            }
            if value == .infinity {
                throw GenerationError.invalidLogits(detail: "+inf in the logits (\(place()))")
            }
            if value > best { best = value }
        }
        guard best > -.infinity else {
            throw GenerationError.noValidToken(context: place())
        }
        return best
    }

    /// Probabilities `exp(l - max) / sum`, in `Double`.
    static func softmax(_ logits: [Float], where place: @autoclosure () -> String) throws -> [Double] {
        let peak = Double(try maximum(of: logits, where: place()))
        var weights = logits.map { $0 == -.infinity ? 0 : exp(Double($0) - peak) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        return weights
    }

    /// Log-probabilities `l - max - log(sum exp(l - max))`; `-inf` stays `-inf`.
    static func logSoftmax(_ logits: [Float], where place: @autoclosure () -> String) throws -> [Double] {
        let peak = Double(try maximum(of: logits, where: place()))
        var total = 0.0
        for value in logits where value > -.infinity { total += exp(Double(value) - peak) }
        let logTotal = peak + log(total)
        return logits.map { $0 == -.infinity ? -.infinity : Double($0) - logTotal }
    }

    /// Indices of the `count` largest values, largest first; ties go to the lower index so
    /// results never depend on sort stability. Entries equal to -inf are never returned.
    static func topIndices(_ values: [Double], count: Int) -> [Int] {
        guard count > 0 else { return [] }
        // Insertion into a short sorted list: O(V * count), fast for the small counts beam
        // search asks for, with no O(V log V) sort of the whole vocabulary.
        var best: [Int] = []
        best.reserveCapacity(count + 1)
        for (index, value) in values.enumerated() where value > -.infinity {
            if best.count == count, let last = best.last, !(value > values[last]) { continue }
            var position = best.count
            while position > 0, value > values[best[position - 1]] { position -= 1 }
            best.insert(index, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
