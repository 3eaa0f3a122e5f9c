// Timestamp position embeddings of AutoTimes (Liu et al. 2024, Sec. 3.2, Eq. 4): per segment
// either the frozen LLM's embedding of "This is Time Series from {first} to {last}" (the
// paper) or, with no LLM, calendar features of the segment's first point.

import Tensors

/// One window's place in time: the timestamp of its series' first point, the index of the
/// window's first point in that series, and its number of segments.
public struct TimestampedWindow: Sendable {
    /// Timestamp (seconds since 1970) of the series' first point.
    public var seriesStart: Double
    /// Index in the series of the window's first point.
    public var offset: Int
    /// Segments (tokens) in the window, N.
    public var segments: Int

    /// A window of `segments` segments starting at point `offset` of a series that starts at `seriesStart`.
    public init(seriesStart: Double, offset: Int, segments: Int) {
        self.seriesStart = seriesStart
        self.offset = offset
        self.segments = segments
    }
}

extension AutoTimesModel {
    /// Where this model's timestamp embeddings come from; nil when it embeds none.
    public var timestampSource: TimestampSource? {
        configuration.timestampEmbedding ? configuration.timestampSource : nil
    }

    /// Features per segment, F: 6 calendar features, or the LLM's width for text embeddings.
    public var timestampFeatureCount: Int { timestampText?.width ?? CalendarFeatures.count }

    /// The timestamp features of every segment of each window, `[window][segments * F]`.
    ///
    /// Segment n of a window covers points `offset + n S ..< offset + (n + 1) S` of its series;
    /// the text names its first and last timestamps. Text embeddings are cached, so windows
    /// that share segments cost one LLM pass per distinct text.
    public func timestampFeatures(_ windows: [TimestampedWindow], frequency: Frequency) throws -> [[Float]] {
        let s = configuration.segmentLength
        func time(_ window: TimestampedWindow, _ point: Int) -> Double {
            frequency.advance(window.seriesStart, by: window.offset + point)
        }
        guard let timestampText else {
            return windows.map { window in
                (0..<window.segments).flatMap { CalendarFeatures.features(seconds: time(window, $0 * s)) }
            }
        }
        let texts = windows.map { window in
            (0..<window.segments).map {
                TimestampTextEmbedding.text(first: time(window, $0 * s), last: time(window, $0 * s + s - 1), frequency: frequency)
            }
        }
        let vectors = try timestampText.embeddings(for: texts.flatMap { $0 })
        var result: [[Float]] = []
        var next = 0
        for window in texts {
            result.append(vectors[next..<(next + window.count)].flatMap { $0 })
            next += window.count
        }
        return result
    }

    /// ``timestampFeatures(_:frequency:)`` of windows with equal segment counts as `[B, N, F]`.
    func timestampTensor(_ windows: [TimestampedWindow], frequency: Frequency) throws -> Tensor {
        let segments = windows.first?.segments ?? 0
        let values = try timestampFeatures(windows, frequency: frequency).flatMap { $0 }
        return Tensor(shape: [windows.count, segments, timestampFeatureCount], values: values)
    }
}
