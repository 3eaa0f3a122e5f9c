/// The release of the NextToken tools, printed by `--version` on every executable
/// (`nexttoken`, `forecast`, `icons`, `images`, `retrieve`).
///
/// ```swift
/// static let configuration = CommandConfiguration(
///     commandName: "forecast", version: NextTokenVersion.string, subcommands: [...])
/// ```
public enum NextTokenVersion {
    /// The version string, `MAJOR.MINOR.PATCH`.
    public static let string = "0.1.0"
}
