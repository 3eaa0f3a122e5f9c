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
    static let gridColor = Canvas.Color(red: 0.88, green: 0.88, blue: 0.88)

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
        let (left, right, topMargin, bottomMargin) = (70.0, Double(canvas.width) - 20, 28.0, 18.0)
        let total = history.count + point.count
        let all = history + point + lower + upper
        var low = Double(all.min() ?? 0), high = Double(all.max() ?? 1)
        if high - low < 1e-6 { low -= 1; high += 1 }
        let pad = (high - low) * 0.05
        low -= pad; high += pad
        let plotTop = top + topMargin, plotBottom = top + height - bottomMargin
        func x(_ index: Int) -> Double { left + Double(index) / Double(max(total - 1, 1)) * (right - left) }
        func y(_ value: Float) -> Double { plotTop + (high - Double(value)) / (high - low) * (plotBottom - plotTop) }
        // Grid with value labels.
        for g in 0...4 {
            let value = high - Double(g) / 4 * (high - low)
            let gy = plotTop + Double(g) / 4 * (plotBottom - plotTop)
            canvas.polyline([(left, gy), (right, gy)], color: gridColor)
            canvas.text(String(format: "%.4g", value), x: left - 6, y: gy + 4, size: 10, color: .gray, anchor: .end)
        }
        canvas.polyline([(left, plotTop), (left, plotBottom), (right, plotBottom)], color: .gray)
        // Band, then the divider, history and forecast on top.
        if !point.isEmpty {
            let upperEdge = upper.indices.map { (x(history.count + $0), y(upper[$0])) }
            let lowerEdge = lower.indices.reversed().map { (x(history.count + $0), y(lower[$0])) }
            canvas.fillPolygon(upperEdge + lowerEdge, color: bandColor)
        }
        let divider = x(max(history.count - 1, 0))
        canvas.polyline([(divider, plotTop), (divider, plotBottom)], color: .gray, lineWidth: 1, dash: [4, 4])
        canvas.polyline(history.indices.map { (x($0), y(history[$0])) }, color: Canvas.Color(red: 0.3, green: 0.3, blue: 0.3), lineWidth: 1.5)
        let joined = (history.last.map { [(x(history.count - 1), y($0))] } ?? []) + point.indices.map { (x(history.count + $0), y(point[$0])) }
        canvas.polyline(joined, color: .blue, lineWidth: 2)
        // Title and legend.
        canvas.text(name, x: left, y: top + 18, size: 13)
        let legendX = right - 250
        canvas.polyline([(legendX, top + 14), (legendX + 20, top + 14)], color: Canvas.Color(red: 0.3, green: 0.3, blue: 0.3), lineWidth: 1.5)
        canvas.text("history", x: legendX + 25, y: top + 18, size: 11)
        canvas.polyline([(legendX + 85, top + 14), (legendX + 105, top + 14)], color: .blue, lineWidth: 2)
        canvas.text("forecast", x: legendX + 110, y: top + 18, size: 11)
        canvas.rectangle(x: legendX + 175, y: top + 9, width: 20, height: 10, color: bandColor)
        canvas.text("10-90%", x: legendX + 200, y: top + 18, size: 11)
    }
}
