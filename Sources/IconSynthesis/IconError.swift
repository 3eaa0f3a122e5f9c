import Foundation

/// Errors of the icon pipeline; each names the file, field or token at fault.
public enum IconError: Error, CustomStringConvertible, Equatable {
    /// Not well-formed XML or SVG (the detail names the line, attribute or byte).
    case malformedSVG(file: String, detail: String)
    /// Well-formed, but uses something the parser does not convert (`<use>`, `<text>`, strokes, ...).
    case unsupported(file: String, feature: String)
    /// Nothing drawable after parsing (no filled shape).
    case noDrawableContent(file: String)
    /// A token sequence that does not follow the icon grammar.
    case invalidTokens(detail: String)
    /// A dataset or model file that cannot be used.
    case invalidFile(path: String, detail: String)
    /// A bad option value or combination.
    case invalidArgument(name: String, detail: String)

    /// The message, naming the file, option or token sequence at fault.
    public var description: String {
        switch self {
        case .malformedSVG(let file, let detail): return "\(file): malformed SVG: \(detail)"
        case .unsupported(let file, let feature): return "\(file): unsupported SVG feature: \(feature)"
        case .noDrawableContent(let file): return "\(file): no drawable content (no filled path or shape)"
        case .invalidTokens(let detail): return "invalid icon token sequence: \(detail)"
        case .invalidFile(let path, let detail): return "\(path): \(detail)"
        case .invalidArgument(let name, let detail): return "\(name): \(detail)"
        }
    }

    /// A short reason for dataset skip counts ("malformed SVG", "unsupported: <use>", ...).
    public var skipReason: String {
        switch self {
        case .malformedSVG: return "malformed SVG"
        case .unsupported(_, let feature): return "unsupported: \(feature)"
        case .noDrawableContent: return "no drawable content"
        case .invalidTokens: return "invalid tokens"
        case .invalidFile: return "unreadable file"
        case .invalidArgument: return "invalid argument"
        }
    }
}
