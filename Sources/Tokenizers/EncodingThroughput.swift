/// Measures how fast a tokenizer encodes a text, for benchmarks and performance checks.
///
/// The first repetition of a ``BytePairTokenizer`` runs with a cold word cache and later ones
/// with a warm cache, so both are reported: ``coldSeconds`` and ``bestSeconds``.
///
/// ```swift
/// let result = try EncodingThroughput.measure(gpt2, text: corpus, repetitions: 5)
/// print(result.megabytesPerSecond, result.tokenCount)
/// ```
public struct EncodingThroughput: Sendable {
    /// The UTF-8 size of the encoded text.
    public let byteCount: Int
    /// The number of tokens one encoding produced.
    public let tokenCount: Int
    /// The wall-clock time of each repetition, in order.
    public let durations: [Duration]

    /// The time of the first repetition, in seconds.
    public var coldSeconds: Double { Self.seconds(durations.first ?? .zero) }

    /// The time of the fastest repetition, in seconds.
    public var bestSeconds: Double { Self.seconds(durations.min() ?? .zero) }

    /// Throughput of the fastest repetition in megabytes (10⁶ bytes of UTF-8 input) per second.
    public var megabytesPerSecond: Double {
        bestSeconds > 0 ? Double(byteCount) / 1e6 / bestSeconds : .infinity
    }

    /// Throughput of the first (cold-cache) repetition in megabytes per second.
    public var coldMegabytesPerSecond: Double {
        coldSeconds > 0 ? Double(byteCount) / 1e6 / coldSeconds : .infinity
    }

    /// Encodes `text` `repetitions` times and times each run.
    ///
    /// - Parameters:
    ///   - tokenizer: Any tokenizer.
    ///   - text: The text to encode, typically a few megabytes of a real corpus.
    ///   - repetitions: How many timed runs, at least 1.
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` for `repetitions < 1`,
    ///   or whatever the tokenizer's `encode` throws.
    public static func measure(
        _ tokenizer: some Tokenizer, text: String, repetitions: Int = 3
    ) throws -> EncodingThroughput {
        guard repetitions >= 1 else {
            throw TokenizerError.invalidConfiguration(field: "repetitions", reason: "must be at least 1, got \(repetitions)")
        }
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var tokenCount = 0
        for _ in 0..<repetitions {
            var ids: [Int] = []
            let elapsed = try clock.measure { ids = try tokenizer.encode(text) }
            tokenCount = ids.count
            durations.append(elapsed)
        }
        return EncodingThroughput(byteCount: text.utf8.count, tokenCount: tokenCount, durations: durations)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
