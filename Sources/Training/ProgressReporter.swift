import Foundation

/// Writes one progress line per report, throttled by steps and by time, in `key=value`
/// form that both people and `grep`/`awk` can read:
///
/// ```
/// step=40/1000 loss=2.3456 val=2.4001 lr=6.000e-04 norm=0.812 tokens/s=12345 elapsed=62.1s eta=1490.0s
/// ```
///
/// ```swift
/// var reporter = ProgressReporter(totalSteps: 1000, everySteps: 10, output: { print($0) })
/// reporter.start(atStep: 0)
/// reporter.record(TrainingRecord(step: 10, trainingLoss: 2.3, learningRate: 6e-4, gradientNorm: 0.8, tokens: 512))
/// ```
public struct ProgressReporter {
    /// Where lines go; default standard error, so standard output stays free for results.
    public typealias Output = (String) -> Void

    /// Writes `line` and a newline to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The run's final step count (for `step=a/b` and the ETA).
    public let totalSteps: Int
    /// Report every this many steps; 0 never reports.
    public let everySteps: Int
    /// And at least this many seconds apart (the last step is always reported).
    public let minimumSeconds: Double
    /// The destination.
    public var output: Output

    private var startTime: ContinuousClock.Instant = .now
    private var startStep = 0
    private var lastReportTime: ContinuousClock.Instant?
    private var tokensSinceReport = 0

    /// A reporter for a run of `totalSteps` steps.
    public init(totalSteps: Int, everySteps: Int, minimumSeconds: Double = 0,
                output: @escaping Output = ProgressReporter.standardError) {
        self.totalSteps = totalSteps
        self.everySteps = everySteps
        self.minimumSeconds = minimumSeconds
        self.output = output
    }

    /// Starts the clock; `step` is the number of steps already done (non-zero on resume),
    /// so the rate and ETA count only this session's steps.
    public mutating func start(atStep step: Int) {
        startTime = .now
        startStep = step
        lastReportTime = nil
        tokensSinceReport = 0
    }

    /// Accounts for a finished step and prints a line when one is due.
    public mutating func record(_ record: TrainingRecord) {
        tokensSinceReport += record.tokens
        guard everySteps > 0 else { return }
        let isLast = record.step >= totalSteps
        guard isLast || record.step % everySteps == 0 else { return }
        let now = ContinuousClock.now
        if !isLast, let lastReportTime, Self.seconds(now - lastReportTime) < minimumSeconds { return }
        let sinceReport = Self.seconds(now - (lastReportTime ?? startTime))
        let elapsed = Self.seconds(now - startTime)
        let stepsDone = record.step - startStep
        let remaining = Swift.max(totalSteps - record.step, 0)
        let eta = stepsDone > 0 ? elapsed / Double(stepsDone) * Double(remaining) : 0
        let rate = sinceReport > 0 ? Double(tokensSinceReport) / sinceReport : 0
        output(Self.line(record, totalSteps: totalSteps, tokensPerSecond: rate, elapsed: elapsed, eta: eta))
        lastReportTime = now
        tokensSinceReport = 0
    }

    /// Formats one line (exposed for tests and for tools that print their own).
    public static func line(_ record: TrainingRecord, totalSteps: Int, tokensPerSecond: Double,
                            elapsed: Double, eta: Double) -> String {
        var fields = ["step=\(record.step)/\(totalSteps)", "loss=\(fixed(record.trainingLoss, 4))"]
        if let validation = record.validationLoss { fields.append("val=\(fixed(validation, 4))") }
        fields.append("lr=\(String(format: "%.3e", Double(record.learningRate)))")
        fields.append("norm=\(fixed(record.gradientNorm, 3))")
        fields.append("tokens/s=\(Int(tokensPerSecond.rounded()))")
        fields.append("elapsed=\(String(format: "%.1f", elapsed))s")
        fields.append("eta=\(String(format: "%.1f", eta))s")
        return fields.joined(separator: " ")
    }

    private static func fixed(_ value: Float, _ digits: Int) -> String {
        String(format: "%.\(digits)f", Double(value))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
