import Foundation


extension ForecastResult {
    /// The forecast as CSV: a date column (or `step`, 1-based), then per series the point
    /// forecast and, with `includeBand`, its band's `_lower`/`_upper` columns.
    public func csv(includeBand: Bool) -> String {
        var header = [timestamps == nil ? "step" : "date"]
        for name in columnNames { header.append(name); if includeBand { header += [name + "_lower", name + "_upper"] } }
        var lines = [header.joined(separator: ",")]
        let horizon = point.first?.count ?? 0
        for h in 0..<horizon {
            var cells: [String]
            if let timestamps {
                switch frequency {
                case .months, .years: cells = [Timestamp.format(timestamps[h], monthOnly: true)]
                default: cells = [Timestamp.format(timestamps[h], dateOnly: !frequency.showsTime)]
                }
            } else { cells = ["\(h + 1)"] }
            for c in columnNames.indices {
                cells.append("\(point[c][h])")
                if includeBand { cells += ["\(lower[c][h])", "\(upper[c][h])"] }
            }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
