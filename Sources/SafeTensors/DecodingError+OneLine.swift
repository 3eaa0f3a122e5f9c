import Foundation

extension DecodingError {
    /// The context of any case, so callers need not switch to get at the coding path.
    var context: Context {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return Context(codingPath: [], debugDescription: "\(self)")
        }
    }

    /// A one-line message naming the field at fault as a dotted path, for example
    /// `field 'rope_parameters.rope_theta': expected Double, found a string`.
    ///
    /// Foundation's own descriptions embed the coding path as a list of key structs and
    /// span several lines, which is unreadable in a command-line error.
    var oneLineDescription: String {
        switch self {
        case .typeMismatch(let type, let context):
            return "field '\(Self.dotted(context.codingPath))': expected \(type): \(Self.flatten(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "field '\(Self.dotted(context.codingPath))': expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "missing field '\(Self.dotted(context.codingPath + [key]))'"
        case .dataCorrupted(let context):
            var message = Self.flatten(context.debugDescription)
            if let underlying = context.underlyingError {
                message += " (\(Self.flatten("\(underlying)")))"
            }
            return context.codingPath.isEmpty ? message : "field '\(Self.dotted(context.codingPath))': \(message)"
        @unknown default:
            return Self.flatten("\(self)")
        }
    }

    /// `[a, Index 2, b]` -> `a[2].b`; the top level is `<root>`.
    static func dotted(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "<root>" }
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func flatten(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
