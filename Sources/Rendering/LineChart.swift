import Foundation

/// A chart of one or more lines against a shared x axis, drawn with ``ChartFrame``: grid with
/// value labels, x ticks, axis titles, a legend; for example a training run's loss curve.
///
/// ```swift
/// var chart = LineChart(title: "runs/lm", xTitle: "step", yTitle: "loss")
/// chart.series.append(.init(name: "training", points: [(1, 3.2), (2, 2.9)], color: .blue))
/// try chart.render().write(to: URL(fileURLWithPath: "loss.png"))
/// ```
public struct LineChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// The legend's label.
        public var name: String
        /// The points in x order.
        public var points: [(x: Double, y: Double)]
        /// The line's colour.
        public var color: Canvas.Color
        /// The line's width.
        public var lineWidth: Double
        /// Whether each point gets a small square (for sparse series).
        public var markers: Bool

        /// A series.
        public init(name: String, points: [(x: Double, y: Double)], color: Canvas.Color, lineWidth: Double = 1.5, markers: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.lineWidth = lineWidth
            self.markers = markers
        }
    }

    /// The title above the plot.
    public var title: String
    /// The x axis' title.
    public var xTitle: String
    /// The y axis' title (drawn above the value labels).
    public var yTitle: String
    /// The lines.
    public var series: [Series] = []
    /// Log-scale y: nil chooses it when every value is positive and the largest is more
    /// than 20 times the smallest.
    public var logarithmicY: Bool?

    /// An empty chart.
    public init(title: String, xTitle: String, yTitle: String) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// PNG bytes of the chart, `width` x `height` pixels, RGB.
    ///
    /// - Throws: ``RenderingError`` when the PNG cannot be encoded.
    public func render(width: Int = 900, height: Int = 420) throws -> Data {
        try image(width: width, height: height).pngData()
    }

    /// The chart as an RGB image.
    public func image(width: Int = 900, height: Int = 420) -> RasterImage {
        let canvas = Canvas(width: width, height: height)
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let ys = finite.map(\.y), xs = finite.map(\.x)
        let positive = !ys.isEmpty && ys.allSatisfy { $0 > 0 }
        let logarithmic = logarithmicY ?? (positive && (ys.max()! / ys.min()!) > 20)
        let yRange: ClosedRange<Double>
        if logarithmic, positive {
            yRange = (ys.min()! / 1.1)...(ys.max()! * 1.1)
        } else {
            yRange = ChartFrame.paddedRange(ys)
        }
        let frame = ChartFrame(left: 70, top: 40, right: Double(width) - 20, bottom: Double(height) - 45,
                               xRange: (xs.min() ?? 0)...(xs.max() ?? 1), yRange: yRange, logarithmicY: logarithmic && positive)
        frame.drawGrid(on: canvas, values: frame.logarithmicY ? nil : ChartFrame.niceTicks(frame.yRange, count: 5))
        frame.drawXTicks(on: canvas, title: xTitle)
        canvas.text(yTitle + (frame.logarithmicY ? " (log scale)" : ""), x: frame.left, y: frame.top - 8, size: 11, color: .gray)
        for line in series {
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (frame.x($0.x), frame.y($0.y)) }
            if points.count > 1 { canvas.polyline(points, color: line.color, lineWidth: line.lineWidth) }
            if line.markers || points.count == 1 {
                for (x, y) in points { canvas.rectangle(x: x - 2.5, y: y - 2.5, width: 5, height: 5, color: line.color) }
            }
        }
        canvas.text(title, x: frame.left, y: 20, size: 13)
        ChartFrame.drawLegend(series.map { ChartFrame.LegendEntry(label: $0.name, color: $0.color, lineWidth: $0.lineWidth) },
                              on: canvas, right: frame.right, y: 24)
        return canvas.image().converted(to: .rgb)
    }
}
