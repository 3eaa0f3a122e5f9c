import Foundation

/// One-line messages for JSON (or any `Decodable`) errors, naming the field at fault as a
/// path such as `layers[2].attention.heads`.
///
/// Foundation's own descriptions list the coding path as key structs over several lines,
/// which is unreadable in a command-line error.
///
/// ```swift
/// do {
///     _ = try JSONDecoder().decode(Settings.self, from: data)
/// } catch let error as DecodingError {
///     print("error: \(error.oneLineDescription(file: url.path))")
///     // error: /runs/a/settings.json: field 'optimizer.betas[1]': expected Double, found a string
/// }
/// ```
extension DecodingError {
    /// The context of any case, so callers need not switch to reach the coding path.
    ///
    /// ```swift
    /// let field = DecodingError.pathDescription(error.context.codingPath)
    /// ```
    public var context: Context {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return Context(codingPath: [], debugDescription: "\(self)")
        }
    }

    /// A one-line message naming the field, for example
    /// `field 'rope_parameters.rope_theta': expected Double, found a string` or
    /// `missing field 'layers[2].heads'`.
    public var oneLineDescription: String {
        switch self {
        case .typeMismatch(let type, let context):
            return "field '\(Self.pathDescription(context.codingPath))': expected \(type)\(Self.found(in: context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "field '\(Self.pathDescription(context.codingPath))': expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "missing field '\(Self.pathDescription(context.codingPath + [key]))'"
        case .dataCorrupted(let context):
            var message = Self.flatten(context.debugDescription)
            if let underlying = context.underlyingError {
                let text = Self.flatten((underlying as NSError).localizedDescription)
                if !text.isEmpty, !message.contains(text) { message += " (\(text))" }
            }
            return context.codingPath.isEmpty ? message : "field '\(Self.pathDescription(context.codingPath))': \(message)"
        @unknown default:
            return Self.flatten("\(self)")
        }
    }

    /// ``oneLineDescription`` after the file it concerns: `file: field 'a.b': expected Int`.
    ///
    /// ```swift
    /// error.oneLineDescription(file: "model/config.json")
    /// // "model/config.json: missing field 'decoder.hidden_size'"
    /// ```
    public func oneLineDescription(file: String) -> String {
        "\(file): \(oneLineDescription)"
    }

    /// A coding path as it would be written in code: `[a, Index 2, b]` becomes `a[2].b`;
    /// the top level is `<root>`.
    ///
    /// ```swift
    /// DecodingError.pathDescription(error.context.codingPath)   // "layers[1]"
    /// ```
    public static func pathDescription(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "<root>" }
        var result = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    /// `, found a string` from Foundation's "Expected to decode Int but found a string
    /// instead."; the whole text after a colon when it has another form.
    private static func found(in debugDescription: String) -> String {
        let text = flatten(debugDescription)
        if let range = text.range(of: " but found ") {
            var rest = text[range.upperBound...]
            if rest.hasSuffix(".") { rest = rest.dropLast() }
            if rest.hasSuffix(" instead") { rest = rest.dropLast(" instead".count) }
            return ", found \(rest)"
        }
        return text.isEmpty ? "" : ": \(text)"
    }

    private static func flatten(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
