import Foundation

/// Typed access to the values `JSONSerialization` returns, throwing
/// ``TokenizerError/malformedField(path:field:reason:)`` that names the file and the field's
/// path (`model.merges[3]`) for a missing or mistyped value.
struct TokenizerJSONFields {
    /// The file, for messages.
    let path: String

    func failure(_ field: String, _ reason: String) -> TokenizerError {
        .malformedField(path: path, field: field, reason: reason)
    }

    /// The error for a value that is well formed but is a setting this module cannot reproduce.
    func unsupported(_ field: String, _ value: Any?, because explanation: String) -> TokenizerError {
        failure(field, "\(Self.describe(value)) is not supported (\(explanation))")
    }

    /// Whether a field is absent or `null`.
    static func isNull(_ value: Any?) -> Bool {
        value == nil || value is NSNull
    }

    /// A short rendering of a value for messages: strings JSON-quoted, containers by kind.
    static func describe(_ value: Any?) -> String {
        switch value {
        case nil: return "a missing value"
        case is NSNull: return "null"
        case let string as String: return JSONObjectParser.quoted(string)
        case let number as NSNumber where isBoolean(number): return number.boolValue ? "true" : "false"
        case let number as NSNumber: return "\(number)"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "a value of type \(type(of: value!))"
        }
    }

    /// `JSONSerialization` returns `true` and `false` as `NSNumber`s of Objective-C type `c`
    /// (on Linux as on Darwin); JSON numbers never get that type.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    func object(_ value: Any?, _ field: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else { throw mistyped(value, field, "an object") }
        return object
    }

    func array(_ value: Any?, _ field: String) throws -> [Any] {
        guard let array = value as? [Any] else { throw mistyped(value, field, "a list") }
        return array
    }

    func string(_ value: Any?, _ field: String) throws -> String {
        guard let string = value as? String else { throw mistyped(value, field, "a string") }
        return string
    }

    func integer(_ value: Any?, _ field: String) throws -> Int {
        guard let number = value as? NSNumber, !Self.isBoolean(number),
              let integer = Int(exactly: number.doubleValue) else {
            throw mistyped(value, field, "an integer")
        }
        return integer
    }

    func boolean(_ value: Any?, _ field: String) throws -> Bool {
        guard let number = value as? NSNumber, Self.isBoolean(number) else { throw mistyped(value, field, "true or false") }
        return number.boolValue
    }

    /// Checks a setting that may be absent, `null` or `false`, nothing else.
    func requireOff(_ value: Any?, _ field: String, because explanation: String) throws {
        if Self.isNull(value) { return }
        guard try !boolean(value, field) else { throw unsupported(field, value, because: explanation) }
    }

    /// Checks a setting that may be absent, `null` or the empty string, nothing else.
    func requireEmpty(_ value: Any?, _ field: String, because explanation: String) throws {
        if Self.isNull(value) { return }
        guard try string(value, field).isEmpty else { throw unsupported(field, value, because: explanation) }
    }

    private func mistyped(_ value: Any?, _ field: String, _ expected: String) -> TokenizerError {
        value == nil
            ? failure(field, "missing (expected \(expected))")
            : failure(field, "expected \(expected), found \(Self.describe(value))")
    }
}
