import FileIO
import Foundation

/// The `metrics.jsonl` file of a ``TrainingRun``: one JSON object per line and per step,
///
/// ```
/// {"learning_rate":0.0006,"loss":2.3456,"step":40,"tokens_per_second":12345.6,"validation_loss":2.4001}
/// ```
///
/// (`validation_loss` only on steps that validated), which `--plot` and `nexttoken lm plot`
/// turn into a loss curve.
///
/// ```swift
/// let rows = try TrainingMetrics.read(from: URL(fileURLWithPath: "runs/lm/metrics.jsonl"))
/// print(rows.last?.loss ?? .nan)
/// ```
public enum TrainingMetrics {
    /// One step's measurements.
    public struct Row: Codable, Sendable, Equatable {
        /// Steps completed, counting this one.
        public var step: Int
        /// The step's training loss.
        public var loss: Float
        /// The learning rate of the step.
        public var learningRate: Float
        /// Tokens (or examples) per second of the step's optimisation.
        public var tokensPerSecond: Double
        /// The validation loss, on steps that validated.
        public var validationLoss: Float?

        enum CodingKeys: String, CodingKey {
            case step, loss
            case learningRate = "learning_rate"
            case tokensPerSecond = "tokens_per_second"
            case validationLoss = "validation_loss"
        }

        /// Creates a row.
        public init(step: Int, loss: Float, learningRate: Float, tokensPerSecond: Double, validationLoss: Float? = nil) {
            self.step = step
            self.loss = loss
            self.learningRate = learningRate
            self.tokensPerSecond = tokensPerSecond
            self.validationLoss = validationLoss
        }

        /// The row of a trainer's record whose optimisation took `seconds`.
        public init(_ record: TrainingRecord, seconds: Double) {
            self.init(step: record.step, loss: record.trainingLoss, learningRate: record.learningRate,
                      tokensPerSecond: seconds > 0 ? Double(record.tokens) / seconds : 0, validationLoss: record.validationLoss)
        }

        /// The row as one line of key-sorted JSON, without the newline.
        public var line: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
    }

    /// Reads the rows of a metrics file. A last line cut short by a kill is skipped.
    ///
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` naming the file (and line) when it
    ///   cannot be read or a complete line is not a row.
    public static func read(from url: URL) throws -> [Row] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var rows: [Row] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do { rows.append(try decoder.decode(Row.self, from: Data(line))) } catch {
                // Only the unterminated last line may be partial (a kill during the append).
                if index == lines.count - 1 { break }
                let detail = (error as? DecodingError)?.oneLineDescription ?? "\(error)"
                throw TrainingError.checkpoint(path: url.path, detail: "line \(index + 1): \(detail)")
            }
        }
        return rows
    }

    /// Keeps the rows up to `step` (a resumed run repeats the steps after its checkpoint).
    static func truncate(_ url: URL, afterStep step: Int) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let kept = try read(from: url).filter { $0.step <= step }
        try RunFolderFile.write(Data(kept.map { $0.line + "\n" }.joined().utf8), to: url)
    }

    /// Appends rows to a metrics file, one `write(2)` per row.
    final class Writer {
        private let handle: FileHandle
        private let url: URL

        /// Opens `url` for appending, creating it when absent.
        init(url: URL) throws {
            self.url = url
            if !FileManager.default.fileExists(atPath: url.path) {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw TrainingError.checkpoint(path: url.path, detail: "cannot create the metrics file")
                }
            }
            do {
                handle = try FileHandle(forWritingTo: url)
                try handle.seekToEnd()
            } catch {
                throw TrainingError.checkpoint(path: url.path, detail: "cannot open for appending: \(error.localizedDescription)")
            }
        }

        deinit { try? handle.close() }

        /// Appends the row of `record`.
        func append(_ record: TrainingRecord, seconds: Double) throws {
            do { try handle.write(contentsOf: Data((Row(record, seconds: seconds).line + "\n").utf8)) } catch {
                throw TrainingError.checkpoint(path: url.path, detail: "cannot append: \(error.localizedDescription)")
            }
        }
    }
}
