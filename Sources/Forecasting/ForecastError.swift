/// Errors of the forecasting application; each names the file, line, column or option at fault.
public enum ForecastError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read at all.
    case unreadableFile(path: String, detail: String)
    /// A CSV problem at a given line (1-based, the header is line 1).
    case malformedCSV(path: String, line: Int, detail: String)
    /// A cell that should hold a number does not.
    case nonNumericCell(path: String, line: Int, column: Int, name: String, text: String)
    /// A requested column does not exist.
    case unknownColumn(path: String, name: String, available: [String])
    /// The series is too short or otherwise unusable for the request.
    case insufficientData(detail: String)
    /// An option or configuration value makes no sense.
    case invalidArgument(name: String, detail: String)
    /// A saved model folder is missing a file or holds something else.
    case invalidModel(path: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, detail): return "\(path): \(detail)"
        case let .malformedCSV(path, line, detail): return "\(path):\(line): \(detail)"
        case let .nonNumericCell(path, line, column, name, text):
            return "\(path):\(line): column \(column) ('\(name)'): cannot read '\(text)' as a number"
        case let .unknownColumn(path, name, available):
            return "\(path): no column '\(name)' (columns: \(available.joined(separator: ", ")))"
        case let .insufficientData(detail): return "not enough data: \(detail)"
        case let .invalidArgument(name, detail): return "\(name): \(detail)"
        case let .invalidModel(path, detail): return "\(path): \(detail)"
        }
    }
}
