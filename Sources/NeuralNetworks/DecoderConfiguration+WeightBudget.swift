import Foundation
import SafeTensors

extension DecoderConfiguration {
    /// The weights' size from the shapes: embeddings (and learned positions for GPT-2), then per
    /// layer attention and feed-forward (norms, biases, adapters and structure left out). Unlike
    /// ``minimumParameterCount`` (a strict lower bound for checking checkpoints) this is the
    /// size a freshly built model allocates.
    public var estimatedParameterCount: Double {
        let c = Double(hiddenSize), heads = Double(headCount * resolvedHeadSize)
        let keyValues = Double(resolvedKeyValueHeadCount * resolvedHeadSize)
        let attention = 2 * c * heads + 2 * c * keyValues
        let feedForward = Double(resolvedIntermediateSize) * c * (flavor == .llama ? 3 : 2)
        let positions = flavor == .gpt2 ? Double(contextLength) * c : 0
        return Double(vocabularySize) * c * (tiedEmbeddings ? 1 : 2) + positions + Double(layerCount) * (attention + feedForward)
    }

    /// Bounds each dimension (so no size computation overflows) and refuses a model whose
    /// float32 weights alone exceed the machine's memory: such a model would trap on its first
    /// allocation or page for hours.
    func checkSize() throws {
        let limits: [(String, Int, Int)] = [
            ("vocabularySize", vocabularySize, 1 << 24), ("contextLength", contextLength, 1 << 24),
            ("hiddenSize", hiddenSize, 1 << 20), ("layerCount", layerCount, 1 << 16), ("headCount", headCount, 1 << 16),
            ("keyValueHeadCount", keyValueHeadCount ?? 1, 1 << 16), ("headSize", headSize ?? 1, 1 << 16),
            ("intermediateSize", intermediateSize ?? 1, 1 << 22),
        ]
        for (field, value, limit) in limits where value > limit {
            throw ModelError.invalidConfiguration(field: field, detail: "must be at most \(limit), got \(value)")
        }
        let bytes = 4 * estimatedParameterCount, memory = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= memory else {
            throw ModelError.invalidConfiguration(
                field: "size", detail: String(format: "%.3g parameters (%.1f GB of float32 weights) exceed this machine's %.1f GB of memory; use fewer layers or a smaller hidden size or vocabulary",
                                              estimatedParameterCount, bytes / 1e9, memory / 1e9))
        }
    }

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
