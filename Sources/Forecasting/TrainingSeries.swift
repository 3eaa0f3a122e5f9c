/// One scaled series with the rows it may train and validate on.
public struct TrainingSeries: Sendable {
    /// All rows of the series, scaled (StandardScaler fit on the training rows).
    public var values: [Float]
    /// Timestamp (seconds since 1970) of `values[0]`, nil without a date column.
    public var startTime: Double?
    /// The sampling interval (steps timestamps for timestamp embeddings).
    public var frequency: Frequency
    /// Target rows for training windows (inputs and targets both inside).
    public var train: Range<Int>
    /// Target rows for validation windows (inputs may reach back before them).
    public var validation: Range<Int>
    /// The file (table) the series came from, for sampling files evenly.
    public var group = 0

    /// A series with its training and validation target rows (``group`` 0).
    public init(values: [Float], startTime: Double? = nil, frequency: Frequency = .steps, train: Range<Int>, validation: Range<Int>) {
        (self.values, self.startTime, self.frequency, self.train, self.validation) = (values, startTime, frequency, train, validation)
    }

    /// Every column of a table, scaled by a scaler fit on the training rows of `split`.
    public static func make(from table: TimeSeriesTable, split: DataSplit) -> [TrainingSeries] {
        let scaler = StandardScaler(fitting: table.values, rows: split.train)
        return scaler.transform(table.values).map {
            TrainingSeries(values: $0, startTime: table.timestamps?.first, frequency: table.frequency,
                           train: split.train, validation: split.validation)
        }
    }
}

/// Options of a training run that are not part of the model.
public struct ForecastTrainingOptions: Codable, Sendable, Equatable {
    /// Optimisation steps. Default 2000.
    public var steps = 2000
    /// Windows per step. Default 64.
    public var batchSize = 64
    /// Peak learning rate (cosine decay after warm-up). Default 1e-3.
    public var learningRate: Float = 1e-3
    /// AdamW weight decay. Default 0.01.
    public var weightDecay: Float = 0.01
    /// Validate (and keep the best weights) every this many steps; 0 = only at the end. Default 200.
    public var validationInterval = 200
    /// Validation windows (evenly spaced over the validation rows). Default 512.
    public var validationWindows = 512
    /// Decay of an exponential moving average of the weights that validation scores and
    /// the best weights come from (0 = off, e.g. 0.99). Default 0.
    public var averagingDecay: Float = 0
    /// Draw each window's file (``TrainingSeries/group``) uniformly first, so a short file
    /// weighs as much as a long one; false = every window equally likely. Default false.
    public var balanceFiles = false
    /// Seeds initialisation and batch sampling. Default 0.
    public var seed: UInt64 = 0
    /// Periodic checkpoints and resuming; nil writes none. Default nil.
    public var checkpointing: ForecastCheckpointing?
    /// Stop after this many seconds (with a checkpoint when checkpointing); nil trains every
    /// step. Default nil.
    public var timeLimit: Double?

    /// The defaults documented on each field.
    public init() {}

    /// Throws naming the first bad field.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ detail: String) throws {
            if !condition { throw ForecastError.invalidArgument(name: field, detail: detail) }
        }
        try check(steps >= 1, "steps", "must be >= 1, got \(steps)")
        try check(batchSize >= 1, "batch-size", "must be >= 1, got \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "learning-rate", "must be > 0, got \(learningRate)")
        try check(weightDecay >= 0, "weight-decay", "must be >= 0, got \(weightDecay)")
        try check(validationInterval >= 0, "validation-interval", "must be >= 0")
        try check(validationWindows >= 1, "validation-windows", "must be >= 1")
        try check(averagingDecay >= 0 && averagingDecay < 1, "averaging-decay", "must be in [0, 1), got \(averagingDecay)")
    }
}

/// What a training run did.
public struct ForecastTrainingSummary: Codable, Sendable {
    /// Optimisation steps completed, including those of a resumed run's earlier sessions
    /// (fewer than `options.steps` when `stopAfter` or the time limit ended the session).
    public var steps: Int
    /// Training loss (normalised MSE) of the last step; NaN when no step ran.
    public var finalTrainingLoss: Float
    /// The lowest validation loss (normalised MSE), whose weights were kept; nil without validation.
    public var bestValidationLoss: Float?
    /// The completed step count at which ``bestValidationLoss`` was measured.
    public var bestStep: Int?
    /// Scalars the optimiser updated.
    public var trainableParameters: Int
    /// Scalars in the whole network, the frozen backbone included.
    public var totalParameters: Int
    /// Wall-clock duration of the run.
    public var seconds: Double
    /// AutoTimes: segments per training window (the context or fewer); Time-LLM: patches per window.
    public var segments: Int
    /// Where the timestamp embeddings came from (AutoTimes); nil = none.
    public var timestamps: TimestampSource? = nil
}
