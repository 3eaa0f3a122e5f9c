import Autograd
import Foundation
import Tensors
import Training

/// The training loop both forecasting methods share: windows sampled uniformly from every
/// series' training rows, AdamW with warm-up and cosine decay (``Trainer``), validation on
/// evenly spaced windows, and the weights of the best validation loss restored at the end.
public struct ForecastTrainingLoop {
    /// Starts of training windows of `length` points per series, and evenly spaced
    /// validation windows whose targets lie in the validation rows.
    ///
    /// ```swift
    /// let windows = ForecastTrainingLoop.Windows(series: series, length: 800, targetOffset: 672, validationLimit: 512)
    /// let batch = windows.sample(64, using: &generator)        // [(series, start)]
    /// ```
    public struct Windows {
        /// Per series, every start row of a training window lying wholly inside its training rows.
        public var train: [[Int]]
        /// Validation windows as (series index, start row), at most `validationLimit`, evenly spaced.
        public var validation: [(series: Int, start: Int)]
        /// Training window starts over all series.
        public var trainCount: Int { train.reduce(0) { $0 + $1.count } }

        /// The windows of `series`.
        ///
        /// - Parameters:
        ///   - length: points per window (inputs and targets).
        ///   - targetOffset: the first target point's offset inside a window (validation
        ///     windows may reach back before the validation rows by this much).
        ///   - validationLimit: the most validation windows kept (evenly subsampled).
        ///
        /// A window that holds a missing value (NaN, kept by ``MissingPolicy/keep``) is left out
        /// of both, so no loss averages one in.
        public init(series: [TrainingSeries], length: Int, targetOffset: Int, validationLimit: Int) {
            // missing[i]: NaNs before row i of the series.
            let missing = series.map { item in item.values.reduce(into: [0]) { $0.append($0.last! + ($1.isNaN ? 1 : 0)) } }
            train = series.indices.map { s in
                let item = series[s]
                guard item.train.upperBound - length >= item.train.lowerBound else { return [] }
                return (item.train.lowerBound...(item.train.upperBound - length)).filter { missing[s][$0 + length] == missing[s][$0] }
            }
            var validation: [(series: Int, start: Int)] = []
            for (index, item) in series.enumerated() {
                let first = max(0, item.validation.lowerBound - targetOffset)
                let last = item.validation.upperBound - length
                guard last >= first else { continue }
                validation += (first...last).filter { missing[index][$0 + length] == missing[index][$0] }.map { (index, $0) }
            }
            if validation.count > validationLimit {
                let step = Double(validation.count) / Double(validationLimit)
                validation = (0..<validationLimit).map { validation[Int(Double($0) * step)] }
            }
            self.validation = validation
        }

        /// `count` windows drawn uniformly over every series' training starts, or, with
        /// `groups` (each series' file), over the files first and then within the file.
        public func sample(_ count: Int, groups: [Int]? = nil, using generator: inout SeededGenerator) -> [(series: Int, start: Int)] {
            if let groups {
                let members = Dictionary(grouping: train.indices.filter { !train[$0].isEmpty }, by: { groups[$0] })
                let files = members.keys.sorted()
                return (0..<count).map { _ in
                    let series = members[files[Int.random(in: 0..<files.count, using: &generator)]]!
                    let total = series.reduce(0) { $0 + train[$1].count }
                    var pick = Int.random(in: 0..<total, using: &generator)
                    var index = 0
                    while pick >= train[series[index]].count { pick -= train[series[index]].count; index += 1 }
                    return (series[index], train[series[index]][pick])
                }
            }
            let total = trainCount
            return (0..<count).map { _ in
                var pick = Int.random(in: 0..<total, using: &generator)
                var index = 0
                while pick >= train[index].count { pick -= train[index].count; index += 1 }
                return (index, train[index][pick])
            }
        }
    }

    let parameters: ParameterSet
    let options: ForecastTrainingOptions
    let progressOutput: ProgressReporter.Output

    /// Runs `options.steps` steps; `loss` gets a generator and returns the step's loss and
    /// its token count; `validate` returns the mean validation loss. Restores the best weights.
    /// With `options.checkpointing`, writes checkpoints (see ``ForecastCheckpointing``) and
    /// resumes from the last complete one, moving average and best weights included.
    func run(loss: @escaping (inout SeededGenerator) throws -> (Variable, Int), validate: (() throws -> Float)?)
        throws -> (finalLoss: Float, best: (loss: Float, step: Int)?, completedSteps: Int) {
        var configuration = TrainingConfiguration()
        configuration.steps = options.steps
        configuration.learningRate = options.learningRate
        configuration.minimumLearningRate = options.learningRate / 20
        configuration.warmupSteps = min(100, options.steps / 10)
        configuration.weightDecay = options.weightDecay
        configuration.beta2 = 0.999
        configuration.validationInterval = options.validationInterval
        // The loop writes its own checkpoints: the trainer's files plus the loop's state.
        configuration.checkpointInterval = 0
        if let checkpointing = options.checkpointing { configuration.outputDirectory = checkpointing.directory }
        configuration.logInterval = max(1, options.steps / 50)
        configuration.minimumSecondsBetweenReports = 2
        configuration.seed = options.seed
        configuration.timeLimit = options.timeLimit
        let trainer = try Trainer(parameters: parameters, configuration: configuration)
        trainer.progressOutput = progressOutput
        var state = ForecastLoopState()
        var checkpointedStep = 0
        if let checkpointing = options.checkpointing {
            let run = TrainingRun(directory: URL(fileURLWithPath: checkpointing.directory, isDirectory: true),
                                  resume: checkpointing.resume, note: progressOutput)
            // The loop's own state is checked before anything is written.
            if let latest = run.checkpoint {
                state = try ForecastLoopState.load(from: latest.appendingPathComponent(ForecastCheckpointing.stateFileName), parameters: parameters)
            }
            try run.begin(records: checkpointing.records)
            if try run.attach(trainer) != nil { checkpointedStep = trainer.completedSteps }
        }
        func saveCheckpoint() throws {
            guard options.checkpointing != nil, trainer.completedSteps > checkpointedStep else { return }
            let trainerState = TrainerState(completedSteps: trainer.completedSteps, randomness: trainer.randomness,
                                            configuration: trainer.configuration, history: trainer.history)
            try trainer.checkpointDirectory.write { temporary in
                try parameters.save(to: temporary.appendingPathComponent(CheckpointDirectory.modelFileName).path,
                                    metadata: ["step": String(trainer.completedSteps)])
                try trainer.optimizer.saveState(to: temporary.appendingPathComponent(CheckpointDirectory.optimizerFileName).path)
                try state.save(to: temporary.appendingPathComponent(ForecastCheckpointing.stateFileName), parameters: parameters)
                // Last: its presence marks the checkpoint complete.
                try trainerState.write(to: temporary.appendingPathComponent(CheckpointDirectory.trainerFileName))
            }
            checkpointedStep = trainer.completedSteps
        }
        // Exponential moving average of the weights (Polyak averaging), updated once per
        // completed step; validation and the kept weights use the average.
        let decay = options.averagingDecay
        func updateAverage() {
            guard decay > 0, trainer.completedSteps != state.averagedStep else { return }
            state.averagedStep = trainer.completedSteps
            let current = parameters.variables.map(\.value.scalars)
            guard var sums = state.average else { state.average = current; return }
            for i in sums.indices { for j in sums[i].indices { sums[i][j] = decay * sums[i][j] + (1 - decay) * current[i][j] } }
            state.average = sums
        }
        func load(_ values: [[Float]]) throws {
            for (variable, value) in zip(parameters.variables, values) {
                try variable.value.copyInPlace(from: Tensor(shape: variable.shape, values: value))
            }
        }
        let every = options.checkpointing?.every ?? 0, stopAfter = options.checkpointing?.stopAfter
        let history: [TrainingRecord]
        do {
            history = try trainer.train(step: { _, microBatch, generator in
                // Called after the previous step completed (and validated): checkpoint that state.
                if microBatch == 0, every > 0, trainer.completedSteps % every == 0 { try saveCheckpoint() }
                if microBatch == 0, let stopAfter, trainer.completedSteps >= stopAfter { throw ForecastStopRequested() }
                updateAverage()
                return try loss(&generator)
            }, validate: validate.map { validate in {
                updateAverage()
                let raw = parameters.variables.map(\.value.scalars)
                if let average = state.average { try load(average) }
                let value = try validate()
                if value < (state.best?.loss ?? .infinity) { state.best = (value, trainer.completedSteps, parameters.snapshot()) }
                try load(raw)
                return value
            } })
        } catch is ForecastStopRequested {
            history = trainer.history
            progressOutput("stopped at step \(trainer.completedSteps); continue with --resume")
        }
        try saveCheckpoint()
        if trainer.stoppedByTimeLimit, options.checkpointing != nil {
            progressOutput("checkpoint saved at step \(trainer.completedSteps); continue with --resume")
        }
        if let best = state.best {
            for variable in parameters.variables {
                try variable.value.copyInPlace(from: Tensor(shape: variable.shape, values: best.weights[variable.name]!))
            }
        }
        return (history.last?.trainingLoss ?? .nan, state.best.map { ($0.loss, $0.step) }, trainer.completedSteps)
    }
}
