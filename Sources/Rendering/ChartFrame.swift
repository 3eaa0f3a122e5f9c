import Foundation

/// The plotting area of a chart on a ``Canvas``: maps data coordinates to pixels (the y
/// axis linear or logarithmic) and draws the grid with value labels, the axes, x tick labels
/// and a legend. ``LineChart`` and the forecasting plots draw through it.
///
/// ```swift
/// let frame = ChartFrame(left: 70, top: 30, right: 880, bottom: 360, xRange: 0...100, yRange: 0.5...3)
/// frame.drawGrid(on: canvas)
/// canvas.polyline(points.map { (frame.x($0.x), frame.y($0.y)) }, color: .blue, lineWidth: 2)
/// ```
public struct ChartFrame: Sendable {
    /// A legend entry: a line sample or a filled box, and its label.
    public struct LegendEntry: Sendable {
        /// The entry's label.
        public var label: String
        /// The sample's colour.
        public var color: Canvas.Color
        /// The line width of a line sample; nil draws a filled box.
        public var lineWidth: Double?

        /// An entry; `lineWidth` nil draws a box.
        public init(label: String, color: Canvas.Color, lineWidth: Double? = 1.5) {
            self.label = label
            self.color = color
            self.lineWidth = lineWidth
        }
    }

    /// The grid's colour.
    public static let gridColor = Canvas.Color(red: 0.88, green: 0.88, blue: 0.88)

    /// The plotting area in pixels.
    public var left, top, right, bottom: Double
    /// The data range along x.
    public var xRange: ClosedRange<Double>
    /// The data range along y (positive when ``logarithmicY``).
    public var yRange: ClosedRange<Double>
    /// Whether y is drawn on a log10 scale.
    public var logarithmicY: Bool

    /// A frame; empty ranges are widened so that every value maps to a finite pixel.
    public init(left: Double, top: Double, right: Double, bottom: Double, xRange: ClosedRange<Double>,
                yRange: ClosedRange<Double>, logarithmicY: Bool = false) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.xRange = xRange.upperBound > xRange.lowerBound ? xRange : (xRange.lowerBound - 1)...(xRange.upperBound + 1)
        var y = yRange
        if logarithmicY, y.lowerBound <= 0 { y = Swift.max(y.upperBound * 1e-3, 1e-12)...Swift.max(y.upperBound, 1e-9) }
        if !(y.upperBound > y.lowerBound) { y = logarithmicY ? (y.lowerBound / 2)...(y.upperBound * 2) : (y.lowerBound - 1)...(y.upperBound + 1) }
        self.yRange = y
        self.logarithmicY = logarithmicY
    }

    /// The range of `values` widened by `padding` (a share of its span) on both sides.
    public static func paddedRange(_ values: [Double], padding: Double = 0.05) -> ClosedRange<Double> {
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high - low < 1e-6 { low -= 1; high += 1 }
        let pad = (high - low) * padding
        return (low - pad)...(high + pad)
    }

    /// The pixel column of `value`.
    public func x(_ value: Double) -> Double {
        left + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (right - left)
    }

    /// The pixel row of `value` (clamped to the range's floor on a log scale).
    public func y(_ value: Double) -> Double {
        let (low, high, v) = logarithmicY
            ? (Foundation.log10(yRange.lowerBound), Foundation.log10(yRange.upperBound), Foundation.log10(Swift.max(value, yRange.lowerBound)))
            : (yRange.lowerBound, yRange.upperBound, value)
        return top + (high - v) / (high - low) * (bottom - top)
    }

    /// Horizontal grid lines with value labels on the left, then the left and bottom axes.
    /// The lines are at `values` when given; otherwise `lines` evenly spaced lines on a linear
    /// scale, or one per power of ten and its 2x and 5x on a log scale.
    public func drawGrid(on canvas: Canvas, lines: Int = 5, values: [Double]? = nil, labelSize: Double = 10) {
        for value in values ?? yTicks(lines: lines) {
            let gy = y(value)
            canvas.polyline([(left, gy), (right, gy)], color: Self.gridColor)
            canvas.text(String(format: "%.4g", value), x: left - 6, y: gy + 4, size: labelSize, color: .gray, anchor: .end)
        }
        canvas.polyline([(left, top), (left, bottom), (right, bottom)], color: .gray)
    }

    /// Tick marks and labels under the x axis at ``niceTicks(_:count:)`` positions, and the
    /// axis title centred below them.
    public func drawXTicks(on canvas: Canvas, count: Int = 6, title: String? = nil, labelSize: Double = 10) {
        for value in Self.niceTicks(xRange, count: count) {
            let gx = x(value)
            canvas.polyline([(gx, bottom), (gx, bottom + 4)], color: .gray)
            canvas.text(String(format: "%.6g", value), x: gx, y: bottom + 16, size: labelSize, color: .gray, anchor: .middle)
        }
        if let title { canvas.text(title, x: (left + right) / 2, y: bottom + 32, size: labelSize + 1, anchor: .middle) }
    }

    /// A legend in one row whose right end is at `right`, text baseline at `y`.
    public static func drawLegend(_ entries: [LegendEntry], on canvas: Canvas, right: Double, y: Double, size: Double = 11) {
        let widths = entries.map { 30 + Double($0.label.count) * size * 0.6 }
        var x = right - widths.reduce(0, +)
        for (entry, width) in zip(entries, widths) {
            if let lineWidth = entry.lineWidth {
                canvas.polyline([(x, y - 4), (x + 20, y - 4)], color: entry.color, lineWidth: lineWidth)
            } else {
                canvas.rectangle(x: x, y: y - 9, width: 20, height: 10, color: entry.color)
            }
            canvas.text(entry.label, x: x + 25, y: y, size: size)
            x += width
        }
    }

    /// About `count` round values (1, 2 or 5 times a power of ten apart) inside `range`.
    public static func niceTicks(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return [range.lowerBound] }
        let rough = span / Double(count)
        let power = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var value = Foundation.ceil(range.lowerBound / step) * step
        var ticks: [Double] = []
        while value <= range.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    private func yTicks(lines: Int) -> [Double] {
        guard logarithmicY else {
            return (0..<lines).map { yRange.upperBound - Double($0) / Double(Swift.max(lines - 1, 1)) * (yRange.upperBound - yRange.lowerBound) }
        }
        var ticks: [Double] = []
        var power = Foundation.pow(10, Foundation.floor(Foundation.log10(yRange.lowerBound)))
        while power <= yRange.upperBound {
            for multiple in [1.0, 2, 5] where (yRange.lowerBound...yRange.upperBound).contains(multiple * power) {
                ticks.append(multiple * power)
            }
            power *= 10
        }
        return ticks.count >= 2 ? ticks : [yRange.lowerBound, yRange.upperBound]
    }
}
