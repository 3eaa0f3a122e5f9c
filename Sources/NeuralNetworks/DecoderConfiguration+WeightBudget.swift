import Foundation
import SafeTensors

extension DecoderConfiguration {
    /// A lower bound on the number of parameters a model of this configuration has, or nil
    /// when that number does not even fit in an `Int`.
    ///
    /// Counted: the token embedding (V x C), learned positions for GPT-2 (T x C), and per
    /// block at least one norm (C), the feed-forward's hidden units (any structure holds at
    /// least one weight per unit) and the query heads (H x D). Every real checkpoint of the
    /// configuration stores at least this many values.
    var minimumParameterCount: Int? {
        func product(_ a: Int, _ b: Int) -> Int? {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? nil : value
        }
        func sum(_ values: Int?...) -> Int? {
            var total = 0
            for value in values {
                guard let value else { return nil }
                let (next, overflow) = total.addingReportingOverflow(value)
                if overflow { return nil }
                total = next
            }
            return total
        }
        let embedding = product(vocabularySize, hiddenSize)
        let positions = flavor == .gpt2 ? product(contextLength, hiddenSize) : 0
        let perBlock = sum(hiddenSize, resolvedIntermediateSize, product(headCount, resolvedHeadSize))
        return sum(embedding, positions, perBlock.flatMap { product($0, layerCount) })
    }

    /// Refuses a configuration that declares more parameters than the weights hold, before a
    /// model is built from it: a damaged or foreign `config.json` (say `vocabularySize`
    /// 10^12) must be an error naming the file, not a multi-terabyte allocation that traps.
    ///
    /// - Throws: ``ModelError/unsupportedModel(file:detail:)`` naming `configFile` and the sizes.
    func checkFits(_ weights: SafeTensorsCheckpoint, configFile: String) throws {
        var stored = 0
        for name in weights.names {
            let (next, overflow) = stored.addingReportingOverflow(try weights.info(name).elementCount)
            stored = overflow ? .max : next
        }
        let sizes = "vocabularySize \(vocabularySize), hiddenSize \(hiddenSize), layerCount \(layerCount), intermediateSize \(resolvedIntermediateSize), contextLength \(contextLength)"
        guard let minimum = minimumParameterCount else {
            throw ModelError.unsupportedModel(file: configFile, detail: "declares a model too large to count (\(sizes)); the configuration is damaged")
        }
        guard minimum <= stored else {
            throw ModelError.unsupportedModel(
                file: configFile,
                detail: "declares at least \(minimum) parameters (\(sizes)) but the weights hold \(stored) values; the configuration does not belong to these weights")
        }
    }
}
