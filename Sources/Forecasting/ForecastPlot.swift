import Foundation
import Rendering

/// Draws history, forecast and uncertainty band of each series as a PNG chart, one panel per
/// series (at most `maximumPanels`): grey history, blue forecast, light blue 10-90% band, a
/// dashed line where the forecast starts, the series name, value labels and a legend.
///
/// ```swift
/// let png = try ForecastPlot.render(histories: table.values, result: result)
/// try png.write(to: URL(fileURLWithPath: "forecast.png"))
/// ```
public enum ForecastPlot {
    static let bandColor = Canvas.Color(red: 0.12, green: 0.35, blue: 0.75, alpha: 0.18)
    static let historyColor = Canvas.Color(red: 0.3, green: 0.3, blue: 0.3)

    /// PNG bytes of the chart.
    ///
    /// - Parameter historyPoints: how much history to show (default: three horizons, at least 96).
    public static func render(histories: [[Float]], result: ForecastResult, width: Int = 900, panelHeight: Int = 260,
                              maximumPanels: Int = 4, historyPoints: Int? = nil) throws -> Data {
        let panels = max(1, min(histories.count, maximumPanels))
        let canvas = Canvas(width: width, height: panelHeight * panels)
        let horizon = result.point.first?.count ?? 0
        for panel in 0..<min(histories.count, maximumPanels) {
            let shown = Array(histories[panel].suffix(historyPoints ?? max(96, 3 * horizon)))
            let name = panel < result.columnNames.count ? result.columnNames[panel] : "series \(panel + 1)"
            drawPanel(canvas, top: Double(panel * panelHeight), height: Double(panelHeight), name: name, history: shown,
                      point: result.point[panel], lower: result.lower[panel], upper: result.upper[panel])
        }
        return try canvas.image().converted(to: .rgb).pngData()
    }

    static func drawPanel(_ canvas: Canvas, top: Double, height: Double, name: String, history: [Float], point: [Float],
                          lower: [Float], upper: [Float]) {
        let total = history.count + point.count
        let frame = ChartFrame(left: 70, top: top + 28, right: Double(canvas.width) - 20, bottom: top + height - 18,
                               xRange: 0...Double(max(total - 1, 1)),
                               yRange: ChartFrame.paddedRange((history + point + lower + upper).map(Double.init)))
        func x(_ index: Int) -> Double { frame.x(Double(index)) }
        func y(_ value: Float) -> Double { frame.y(Double(value)) }
        frame.drawGrid(on: canvas)
        // Band, then the divider, history and forecast on top.
        if !point.isEmpty {
            let upperEdge = upper.indices.map { (x(history.count + $0), y(upper[$0])) }
            let lowerEdge = lower.indices.reversed().map { (x(history.count + $0), y(lower[$0])) }
            canvas.fillPolygon(upperEdge + lowerEdge, color: bandColor)
        }
        let divider = x(max(history.count - 1, 0))
        canvas.polyline([(divider, frame.top), (divider, frame.bottom)], color: .gray, lineWidth: 1, dash: [4, 4])
        canvas.polyline(history.indices.map { (x($0), y(history[$0])) }, color: historyColor, lineWidth: 1.5)
        let joined = (history.last.map { [(x(history.count - 1), y($0))] } ?? []) + point.indices.map { (x(history.count + $0), y(point[$0])) }
        canvas.polyline(joined, color: .blue, lineWidth: 2)
        // Title and legend.
        canvas.text(name, x: frame.left, y: top + 18, size: 13)
        ChartFrame.drawLegend([.init(label: "history", color: historyColor, lineWidth: 1.5), .init(label: "forecast", color: .blue, lineWidth: 2),
                               .init(label: "10-90%", color: bandColor, lineWidth: nil)],
                              on: canvas, right: frame.right, y: top + 18)
    }
}
