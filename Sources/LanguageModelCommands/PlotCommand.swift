import ArgumentParser
import Commands
import Foundation

/// `nexttoken lm plot RUN -o loss.png`: draws the loss curve of any training run (the
/// `metrics.jsonl` that every `train` command of the project writes into its run folder).
///
/// ```sh
/// nexttoken lm plot runs/shakespeare -o loss.png
/// nexttoken lm plot runs/icons/metrics.jsonl -o icons-loss.png
/// ```
public struct PlotCommand: ParsableCommand {
    /// `plot`, with its abstract.
    public static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a training run's loss curve (its metrics.jsonl) as a PNG.")

    @Argument(help: ArgumentHelp("A run folder, or its metrics.jsonl.", valueName: "run"))
    public var source: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The PNG to write.", valueName: "file.png"))
    public var output: String

    @Option(help: "Width in pixels.")
    public var width = 900

    @Option(help: "Height in pixels.")
    public var height = 420

    /// The defaults; ArgumentParser fills in the parsed values.
    public init() {}

    /// Checks the size and that `--output` is not a folder.
    public func validate() throws {
        guard (200...8000).contains(width), (150...8000).contains(height) else {
            throw ValidationError("--width and --height: must be in 200...8000 and 150...8000, got \(width)x\(height)")
        }
        if CommandFailure.kind(of: URL(fileURLWithPath: output)) == .directory {
            throw ValidationError("--output \(output): is a folder, expected a .png file")
        }
    }

    /// Reads the metrics and writes the PNG.
    public func run() throws {
        var metrics = URL(fileURLWithPath: source)
        if CommandFailure.kind(of: metrics) == .directory { metrics.appendPathComponent("metrics.jsonl") }
        try CommandFailure.requireFile(metrics, option: "<run>")
        try LossCurve.write(metrics: metrics, to: URL(fileURLWithPath: output), width: width, height: height)
        Console.progress("wrote \(output)")
    }
}
