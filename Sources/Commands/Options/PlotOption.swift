import ArgumentParser
import Foundation
import Rendering
import Training

/// `--plot FILE.png` of every training command: after training, draws the run's loss curve
/// from its `metrics.jsonl` (see ``LossCurve``).
///
/// ```swift
/// @OptionGroup var plot: PlotOption
/// try plot.write(metrics: trainingRun.metricsURL)
/// ```
public struct PlotOption: ParsableArguments {
    @Option(help: ArgumentHelp("After training, draw the loss curve (training and validation loss against step) as a PNG.",
                               valueName: "file.png"))
    public var plot: String?

    /// No plot until parsed.
    public init() {}

    /// Rejects a `--plot` that names a folder.
    public func validate() throws {
        if let plot, CommandFailure.kind(of: URL(fileURLWithPath: plot)) == .directory {
            throw ValidationError("--plot \(plot): is a folder, expected a .png file")
        }
    }

    /// Draws `metrics` into the `--plot` file, when one was given, and says so on stderr.
    public func write(metrics: URL) throws {
        guard let plot else { return }
        try LossCurve.write(metrics: metrics, to: URL(fileURLWithPath: plot))
        Console.progress("wrote the loss curve to \(plot)")
    }
}

/// A training run's loss curve: the training loss of every step and the validation loss
/// where it was measured, against the step, from `metrics.jsonl`; log-scale y when the loss
/// spans more than a factor of 20.
///
/// ```swift
/// try LossCurve.write(metrics: URL(fileURLWithPath: "runs/lm/metrics.jsonl"), to: URL(fileURLWithPath: "loss.png"))
/// ```
public enum LossCurve {
    /// The chart of `rows`, titled `title`.
    public static func chart(_ rows: [TrainingMetrics.Row], title: String) -> LineChart {
        var chart = LineChart(title: title, xTitle: "step", yTitle: "loss")
        chart.series.append(.init(name: "training loss", points: rows.map { (Double($0.step), Double($0.loss)) },
                                  color: .blue, lineWidth: 1.2))
        let validation = rows.compactMap { row in row.validationLoss.map { (x: Double(row.step), y: Double($0)) } }
        if !validation.isEmpty {
            chart.series.append(.init(name: "validation loss", points: validation, color: .orange, lineWidth: 2, markers: true))
        }
        return chart
    }

    /// Reads `metrics` (a `metrics.jsonl` file) and writes its chart as a PNG to `output`.
    ///
    /// - Throws: ``CommandFailure`` when the file holds no rows; file and PNG errors naming the file.
    public static func write(metrics: URL, to output: URL, width: Int = 900, height: Int = 420) throws {
        let rows = try TrainingMetrics.read(from: metrics)
        guard !rows.isEmpty else { throw CommandFailure("\(metrics.path): holds no training steps to plot") }
        var title = "\(metrics.deletingLastPathComponent().lastPathComponent): \(rows.last!.step) steps, loss \(String(format: "%.4g", rows.last!.loss))"
        if let validation = rows.last(where: { $0.validationLoss != nil })?.validationLoss {
            title += ", validation loss \(String(format: "%.4g", validation))"
        }
        try AtomicWrite.data(try chart(rows, title: title).render(width: width, height: height), to: output)
    }
}
