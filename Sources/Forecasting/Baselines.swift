// Reference forecasters of the long-horizon benchmarks: "Repeat" (the last value), seasonal
// naive, and a closed-form least-squares linear map from the lookback to the horizon
// (the linear model of DLinear/NLinear, Zeng et al. 2023, "Are Transformers Effective for
// Time Series Forecasting?", Sec. 4, shared across channels, solved exactly instead of by SGD).

import Tensors

/// A baseline that forecasts `horizon` points from a lookback window.
public enum Baseline: String, Codable, Sendable, CaseIterable {
    /// Every forecast point is the lookback's last value ("Repeat" in the AutoTimes tables).
    case repeatLast = "repeat-last"
    /// The last full season repeated; the period comes from the data's ``Frequency/seasonalPeriod``.
    case seasonalNaive = "seasonal-naive"
    /// The closed-form ``LinearMapForecast`` fit on the training rows.
    case linear = "linear"
}

/// Repeat-last and seasonal-naive forecasts.
public enum NaiveForecast {
    /// The last value, `horizon` times.
    public static func repeatLast<C: BidirectionalCollection>(_ lookback: C, horizon: Int) -> [Float] where C.Element == Float {
        [Float](repeating: lookback.last ?? 0, count: horizon)
    }

    /// The last full season repeated: `y[t + h] = x[t + h - P * ceil((h + 1) / P)]`.
    public static func seasonal(_ lookback: [Float], period: Int, horizon: Int) -> [Float] {
        let p = max(1, min(period, lookback.count))
        let season = lookback.suffix(p)
        return (0..<horizon).map { season[season.startIndex + $0 % p] }
    }
}

/// A linear map `y = W x + b` from `lookback` points to `horizon` points, fit in closed form
/// by ridge-regularised least squares over every training window of every channel.
public struct LinearMapForecast: Sendable {
    /// Points of history each forecast reads, L.
    public let lookback: Int
    /// Points each forecast predicts, H.
    public let horizon: Int
    /// `[lookback + 1, horizon]`: the weights, then the bias row.
    public let coefficients: Tensor

    /// Fits on all windows whose inputs and targets lie inside `rows` of every series.
    ///
    /// - Parameter ridge: added to the diagonal, relative to the mean diagonal of `XᵀX`
    ///   (keeps the highly collinear lag features solvable).
    public init(fitting series: [[Float]], rows: Range<Int>, lookback: Int, horizon: Int, ridge: Double = 1e-6) throws {
        self.lookback = lookback
        self.horizon = horizon
        let width = lookback + 1
        var gram = Tensor.zeros([width, width])                // XᵀX
        var cross = Tensor.zeros([width, horizon])             // XᵀY
        var samples = 0
        var xs: [Float] = [], ys: [Float] = []
        func flush() throws {
            let count = xs.count / width
            guard count > 0 else { return }
            let x = Tensor(shape: [count, width], values: xs), y = Tensor(shape: [count, horizon], values: ys)
            let xt = try x.transposed(0, 1)
            gram = try gram + xt.matmul(x)
            cross = try cross + xt.matmul(y)
            samples += count
            xs.removeAll(keepingCapacity: true); ys.removeAll(keepingCapacity: true)
        }
        for values in series {
            guard rows.count >= lookback + horizon else { continue }
            for start in (rows.lowerBound + lookback)...(rows.upperBound - horizon)
            where !values[(start - lookback)..<(start + horizon)].contains(where: \.isNaN) {
                xs += values[(start - lookback)..<start]; xs.append(1)
                ys += values[start..<(start + horizon)]
                if xs.count >= 4096 * width { try flush() }
            }
        }
        try flush()
        guard samples > 0 else {
            throw ForecastError.insufficientData(detail: "the linear baseline needs \(lookback + horizon) training rows, there are \(rows.count)")
        }
        coefficients = try LinearSolver.solveSymmetric(gram, cross, ridge: ridge)
    }

    /// The forecast for one lookback window (its last `lookback` points).
    public func predict(_ window: ArraySlice<Float>) -> [Float] {
        let x = Array(window.suffix(lookback))
        var result = [Float](repeating: 0, count: horizon)
        let w = coefficients.scalars
        for i in 0..<lookback {
            let xi = x[i]
            let row = i * horizon
            for h in 0..<horizon { result[h] += xi * w[row + h] }
        }
        let bias = lookback * horizon
        for h in 0..<horizon { result[h] += w[bias + h] }
        return result
    }

    /// Forecasts for many windows at once, `[windows][horizon]`, through one matrix product.
    public func predict(_ windows: [ArraySlice<Float>]) throws -> [[Float]] {
        var flat: [Float] = []
        flat.reserveCapacity(windows.count * (lookback + 1))
        for window in windows { flat += window.suffix(lookback); flat.append(1) }
        let result = try Tensor(shape: [windows.count, lookback + 1], values: flat).matmul(coefficients).scalars
        return (0..<windows.count).map { Array(result[($0 * horizon)..<(($0 + 1) * horizon)]) }
    }
}

/// Solves `(A + λI) X = B` for symmetric positive semi-definite `A` by Cholesky in double precision.
enum LinearSolver {
    /// Retries with a 100x larger ridge while float32 rounding leaves the system indefinite
    /// (exactly collinear lags, as in a pure sinusoid).
    static func solveSymmetric(_ a: Tensor, _ b: Tensor, ridge: Double) throws -> Tensor {
        var ridge = ridge
        while true {
            if let solution = try? solve(a, b, ridge: ridge) { return solution }
            guard ridge < 1 else { throw ForecastError.insufficientData(detail: "the linear baseline's normal equations are singular") }
            ridge *= 100
        }
    }

    private static func solve(_ a: Tensor, _ b: Tensor, ridge: Double) throws -> Tensor {
        let n = a.shape[0], m = b.shape[1]
        var l = a.scalars.map(Double.init)
        let meanDiagonal = (0..<n).reduce(0.0) { $0 + l[$1 * n + $1] } / Double(n)
        for i in 0..<n { l[i * n + i] += ridge * max(meanDiagonal, 1e-12) }
        for j in 0..<n {
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0 else { throw ForecastError.insufficientData(detail: "the linear baseline's normal equations are singular") }
            let root = d.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / root
            }
        }
        var x = b.scalars.map(Double.init)        // [n, m], solved in place column by column
        for c in 0..<m {
            for i in 0..<n {
                var s = x[i * m + c]
                for k in 0..<i { s -= l[i * n + k] * x[k * m + c] }
                x[i * m + c] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = x[i * m + c]
                for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * x[k * m + c] }
                x[i * m + c] = s / l[i * n + i]
            }
        }
        return Tensor(shape: [n, m], values: x.map(Float.init))
    }
}
