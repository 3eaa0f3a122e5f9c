// Fréchet distance between Gaussians fitted to two feature sets (Dowson & Landau 1982;
// FID, Heusel et al. 2017, eq. 6): |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)). The trace
// of (S1 S2)^(1/2) equals that of (R S2 R)^(1/2) with R = S1^(1/2), a symmetric matrix, so
// both roots come from symmetric eigen-decompositions by cyclic Jacobi rotations (Golub &
// Van Loan, "Matrix Computations", section 8.5).

import Foundation

/// Fréchet distance of feature sets, in Double.
public enum FrechetDistance {
    /// Mean and covariance (divided by n - 1) of rows of equal length.
    public static func statistics(_ rows: [[Float]]) throws -> (mean: [Double], covariance: [[Double]]) {
        guard rows.count >= 2, let d = rows.first?.count, d > 0, rows.allSatisfy({ $0.count == d }) else {
            throw ImageDataError.invalidArgument(detail: "Fréchet distance needs at least 2 feature rows of one non-zero length")
        }
        let n = Double(rows.count)
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for i in 0..<d { mean[i] += Double(row[i]) } }
        for i in 0..<d { mean[i] /= n }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var centered = [Double](repeating: 0, count: d)
        for row in rows {
            for i in 0..<d { centered[i] = Double(row[i]) - mean[i] }
            for i in 0..<d { let ci = centered[i]; if ci == 0 { continue }; for j in i..<d { covariance[i][j] += ci * centered[j] } }
        }
        for i in 0..<d { for j in i..<d { covariance[i][j] /= n - 1; covariance[j][i] = covariance[i][j] } }
        return (mean, covariance)
    }

    /// The distance between the Gaussians fitted to `a` and `b`.
    public static func distance(_ a: [[Float]], _ b: [[Float]]) throws -> Double {
        let (m1, s1) = try statistics(a), (m2, s2) = try statistics(b)
        guard m1.count == m2.count else { throw ImageDataError.invalidArgument(detail: "feature sizes differ: \(m1.count) vs \(m2.count)") }
        return distance(mean1: m1, covariance1: s1, mean2: m2, covariance2: s2)
    }

    /// The distance between two Gaussians given by their moments.
    public static func distance(mean1: [Double], covariance1: [[Double]], mean2: [Double], covariance2: [[Double]]) -> Double {
        let d = mean1.count
        var meanTerm = 0.0
        for i in 0..<d { meanTerm += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]) }
        let root1 = squareRoot(covariance1)
        let product = multiply(multiply(root1, covariance2), root1)
        let (values, _) = eigen(product)
        let traceRoot = values.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
        var trace = 0.0
        for i in 0..<d { trace += covariance1[i][i] + covariance2[i][i] }
        return Swift.max(0, meanTerm + trace - 2 * traceRoot)
    }

    /// The symmetric positive semi-definite square root (negative eigenvalues clamped to 0).
    public static func squareRoot(_ matrix: [[Double]]) -> [[Double]] {
        let (values, vectors) = eigen(matrix), d = matrix.count
        var result = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for k in 0..<d {
            let root = Swift.max(values[k], 0).squareRoot()
            if root == 0 { continue }
            for i in 0..<d { let vik = vectors[i][k] * root; for j in 0..<d { result[i][j] += vik * vectors[j][k] } }
        }
        return result
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        let n = a.count, m = b.first?.count ?? 0
        var c = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for i in 0..<n { for k in 0..<b.count { let aik = a[i][k]; if aik == 0 { continue }; for j in 0..<m { c[i][j] += aik * b[k][j] } } }
        return c
    }

    /// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi sweeps.
    public static func eigen(_ matrix: [[Double]], sweeps: Int = 60) -> (values: [Double], vectors: [[Double]]) {
        let n = matrix.count
        var a = matrix.map { $0 }
        var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for _ in 0..<sweeps {
            var off = 0.0, scale = 0.0
            for i in 0..<n { scale += a[i][i] * a[i][i]; for j in (i + 1)..<Swift.max(n, i + 1) { off += a[i][j] * a[i][j] } }
            if off <= 1e-22 * Swift.max(scale, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<Swift.max(n, p + 1) where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }
}
