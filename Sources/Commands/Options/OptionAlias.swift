import ArgumentParser

/// Old spellings of options, kept working but hidden from `--help`.
///
/// Every tool spells a concept one way (`--hidden-size`, `-o/--output`, `--checkpoint-every`,
/// ...). A spelling a tool used before stays accepted: it is declared as a second, hidden
/// option, and the command's `validate()` folds it into the current one before checking
/// values. ArgumentParser has no per-name visibility, hence the second property.
///
/// ```swift
/// @Option(name: .customLong("hidden-size"), help: "Residual width.") var hidden = 256
/// @Option(name: .customLong("hidden"), help: .hidden) var hiddenAlias: Int?
///
/// mutating func validate() throws {
///     OptionAlias.merge(&self, \.hidden, alias: \.hiddenAlias)
/// }
/// ```
public enum OptionAlias {
    /// Folds the value given under an old spelling into an option without a default.
    ///
    /// The old spelling's value is taken when the current spelling was not given. The alias
    /// is cleared, so arguments parsed from either spelling hold the same values.
    ///
    /// - Throws: `ValidationError` naming both spellings when both were given different values.
    public static func merge<Arguments, Value: Equatable>(
        _ arguments: inout Arguments, _ value: WritableKeyPath<Arguments, Value?>, alias: WritableKeyPath<Arguments, Value?>,
        current: String, old: String
    ) throws {
        guard let given = arguments[keyPath: alias] else { return }
        arguments[keyPath: alias] = nil
        if let existing = arguments[keyPath: value], existing != given {
            throw ValidationError("\(current): given twice, also as \(old) (its older spelling), with different values")
        }
        arguments[keyPath: value] = given
    }

    /// Folds the value given under an old spelling into an option with a default value.
    ///
    /// The old spelling's value, when given, replaces the current one (whose default cannot be
    /// told apart from an explicit value). The alias is cleared.
    public static func merge<Arguments, Value>(
        _ arguments: inout Arguments, _ value: WritableKeyPath<Arguments, Value>, alias: WritableKeyPath<Arguments, Value?>
    ) {
        guard let given = arguments[keyPath: alias] else { return }
        arguments[keyPath: alias] = nil
        arguments[keyPath: value] = given
    }
}
