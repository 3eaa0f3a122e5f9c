// Prompt-as-Prefix, Time-LLM (Jin et al. 2023), Sec. 3.1 "Prompt-as-Prefix" and Fig. 4: a
// text prompt of (1) the dataset context, (2) the task instruction and (3) input statistics
// (min, max, median, trend, top-5 lags) is tokenised and embedded by the frozen LLM, and its
// embeddings precede the reprogrammed patches. The statistics follow the reference code
// (`calcute_lags`, trend = sum of first differences) on the instance-normalised window,
// except that lag 0 (always the largest autocorrelation) is left out of the top-5 lags.

import Foundation

/// Builds the Time-LLM prompt text for one normalised window.
///
/// ```swift
/// let prompt = PromptAsPrefix(description: "Hourly electricity load.", lookback: 512, horizon: 96)
/// let text = prompt.text(for: window)
/// // "Dataset description: Hourly electricity load. Task description: forecast the next 96 steps ..."
/// ```
public struct PromptAsPrefix: Sendable, Equatable {
    /// The dataset description that opens the prompt (part 1, "dataset context").
    public var description: String
    /// Points of history the prompt says the model reads, L.
    public var lookback: Int
    /// Points the prompt says the model forecasts, H.
    public var horizon: Int

    /// A prompt builder for one dataset and one lookback/horizon pair.
    public init(description: String, lookback: Int, horizon: Int) {
        (self.description, self.lookback, self.horizon) = (description, lookback, horizon)
    }

    /// The statistics the prompt states about a window.
    public struct Statistics: Sendable, Equatable {
        /// Smallest value of the window.
        public var minimum: Float
        /// Largest value of the window.
        public var maximum: Float
        /// Median of the window (the mean of the two middle values for an even count).
        public var median: Float
        /// Sum of first differences (the reference code's trend).
        public var trend: Float
        /// The lags 1..<n with the largest autocorrelation, largest first (at most 5).
        public var topLags: [Int]

        /// The statistics of `window` (0 and no lags for an empty window).
        public init<C: Collection>(window: C) where C.Element == Float {
            let values = Array(window)
            let sorted = values.sorted()
            minimum = sorted.first ?? 0
            maximum = sorted.last ?? 0
            median = sorted.isEmpty ? 0 : (sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2)
            trend = values.count > 1 ? values[values.count - 1] - values[0] : 0
            topLags = Statistics.topLags(values, count: 5)
        }

        /// Circular autocorrelation `sum_t x_t x_(t+lag mod n)` (what the reference code's FFT
        /// product computes), ranked over lags 1..<n; ties keep the shorter lag.
        static func topLags(_ values: [Float], count: Int) -> [Int] {
            let n = values.count
            guard n > 1 else { return [] }
            var scores: [(lag: Int, value: Double)] = []
            scores.reserveCapacity(n - 1)
            for lag in 1..<n {
                var sum = 0.0
                for t in 0..<n { sum += Double(values[t]) * Double(values[(t + lag) % n]) }
                scores.append((lag, sum))
            }
            scores.sort { $0.value != $1.value ? $0.value > $1.value : $0.lag < $1.lag }
            return scores.prefix(count).map(\.lag)
        }
    }

    /// The prompt for a window (normalised values).
    public func text<C: Collection>(for window: C) -> String where C.Element == Float {
        let statistics = Statistics(window: window)
        func number(_ value: Float) -> String { String(format: "%.3f", value) }
        return "Dataset description: \(description) "
            + "Task description: forecast the next \(horizon) steps given the previous \(lookback) steps information; "
            + "Input statistics: min value \(number(statistics.minimum)), max value \(number(statistics.maximum)), "
            + "median value \(number(statistics.median)), the trend of input is \(statistics.trend > 0 ? "upward" : "downward"), "
            + "top 5 lags are : [\(statistics.topLags.map(String.init).joined(separator: ", "))]"
    }
}
