import Commands
import Foundation
import NeuralNetworks
import Training

/// What `nexttoken lm train` records in `<output>/training.json` when a run starts (a
/// `TrainingRun` record), so that `--resume` rebuilds the same model and reads the text the
/// same way, whatever flags it is given.
///
/// ```json
/// {"formatVersion": 1, "decoder": {"hiddenSize": 128, ...}, "tokenizer": "char",
///  "context": 64, "batchSize": 16, "validationFraction": 0.1}
/// ```
public struct LanguageModelRun: Codable, Equatable, Sendable {
    /// The file name inside the output folder.
    public static let fileName = "training.json"
    /// The layout version this build writes and reads.
    public static let currentFormatVersion = 1

    /// Layout version of the file.
    public var formatVersion = LanguageModelRun.currentFormatVersion
    /// The model's shape (vocabulary size included).
    public var decoder: DecoderConfiguration
    /// `character` or `bpe`.
    public var tokenizer: TokenizerKind
    /// Tokens per training window.
    public var context: Int
    /// Windows per micro-batch.
    public var batchSize: Int
    /// Share of the text (its end) held out for validation.
    public var validationFraction: Double
    /// The model folder a fine-tuning run starts from (`--init-from`); nil for a model
    /// trained from scratch.
    public var initFrom: String?
    /// LoRA adapters trained instead of every weight (`--lora-rank`, `--lora-alpha`); nil
    /// trains every weight.
    public var lora: LoRASettings?

    /// The rank and alpha of LoRA adapters (see `LoRA.attach`).
    public struct LoRASettings: Codable, Equatable, Sendable {
        /// Rank r of each adapter.
        public var rank: Int
        /// The update is scaled by alpha / r.
        public var alpha: Float

        /// Adapters of rank `rank` scaled by `alpha / rank`.
        public init(rank: Int, alpha: Float) {
            self.rank = rank
            self.alpha = alpha
        }
    }

    /// A tokenizer `lm train` can build from the text.
    public enum TokenizerKind: String, Codable, Sendable, CaseIterable {
        /// A character-level tokenizer (`"char"` on the command line and in the file).
        case character = "char"
        /// A byte-level BPE tokenizer trained on the text.
        case bpe
    }

    /// A record of a new run at ``currentFormatVersion``.
    public init(decoder: DecoderConfiguration, tokenizer: TokenizerKind, context: Int, batchSize: Int, validationFraction: Double,
                initFrom: String? = nil, lora: LoRASettings? = nil) {
        self.decoder = decoder
        self.tokenizer = tokenizer
        self.context = context
        self.batchSize = batchSize
        self.validationFraction = validationFraction
        self.initFrom = initFrom
        self.lora = lora
    }

    /// Reads the record of the run in `folder`.
    ///
    /// - Throws: ``CommandFailure`` naming the file when it is missing, of a newer version or
    ///   malformed (with the field).
    public static func read(from folder: URL) throws -> LanguageModelRun {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("--resume: \(folder.path) holds no run to resume (\(fileName) is missing)")
        }
        let run: LanguageModelRun
        do {
            run = try JSONDecoder().decode(LanguageModelRun.self, from: Data(contentsOf: url))
        } catch {
            throw CommandFailure("\(url.path): \(ErrorMessage.describe(error))")
        }
        guard run.formatVersion == currentFormatVersion else {
            throw CommandFailure("\(url.path): field 'formatVersion' is \(run.formatVersion); this build reads version \(currentFormatVersion)")
        }
        return run
    }

    /// What `lm train` writes to `training-summary.json` at the end of a run.
    public struct Summary: Codable, Equatable, Sendable {
        /// Steps completed (including any before a resume).
        public var steps: Int
        /// The model's parameter count.
        public var parameters: Int
        /// The last step's training loss.
        public var loss: Float?
        /// The most recent validation loss.
        public var validationLoss: Float?
        /// Tokens in the training part of the text.
        public var trainingTokens: Int
        /// Tokens held out for validation.
        public var validationTokens: Int

        /// The summary of a run whose history is `history`.
        public init(history: [TrainingRecord], parameters: Int, trainingTokens: Int, validationTokens: Int) {
            steps = history.last?.step ?? 0
            self.parameters = parameters
            loss = history.last?.trainingLoss
            validationLoss = history.last(where: { $0.validationLoss != nil })?.validationLoss
            self.trainingTokens = trainingTokens
            self.validationTokens = validationTokens
        }
    }
}
