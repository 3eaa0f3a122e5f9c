// The Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017,
// "GANs Trained by a Two Time-Scale Update Rule", equation 6, as FID computes it):
// |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)). Tr((S1 S2)^(1/2)) is the sum of square
// roots of the eigenvalues of S1^(1/2) S2 S1^(1/2), which is symmetric, so a Jacobi
// eigen-solver suffices.

import Foundation

/// The Fréchet distance between Gaussians fitted to two feature sets, as FID computes it.
///
/// ```swift
/// let distance = FrechetDistance.between(generatedFeatures, realFeatures)   // [N][F], [M][F]
/// ```
public enum FrechetDistance {
    /// The distance between the Gaussians of `a` and `b` (rows are samples, equal widths).
    public static func between(_ a: [[Float]], _ b: [[Float]]) -> Double {
        let (meanA, covarianceA) = moments(a), (meanB, covarianceB) = moments(b)
        let n = meanA.count
        let root = matrixSquareRoot(covarianceA, n)
        let product = multiply(multiply(root, covarianceB, n), root, n)
        let traceRoot = symmetricEigenvalues(product, n).reduce(0) { $0 + max($1, 0).squareRoot() }
        var distance = 0.0
        for i in 0..<n {
            distance += (meanA[i] - meanB[i]) * (meanA[i] - meanB[i]) + covarianceA[i * n + i] + covarianceB[i * n + i]
        }
        return distance - 2 * traceRoot
    }

    static func moments(_ rows: [[Float]]) -> ([Double], [Double]) {
        let n = rows.first?.count ?? 0, count = Double(rows.count)
        var mean = [Double](repeating: 0, count: n)
        for row in rows { for i in 0..<n { mean[i] += Double(row[i]) / count } }
        var covariance = [Double](repeating: 0, count: n * n)
        for row in rows {
            for i in 0..<n {
                let di = Double(row[i]) - mean[i]
                for j in i..<n { covariance[i * n + j] += di * (Double(row[j]) - mean[j]) / max(count - 1, 1) }
            }
        }
        for i in 0..<n { for j in 0..<i { covariance[i * n + j] = covariance[j * n + i] } }
        return (mean, covariance)
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n where a[i * n + k] != 0 { for j in 0..<n { c[i * n + j] += a[i * n + k] * b[k * n + j] } } }
        return c
    }

    /// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.
    static func symmetricEigen(_ matrix: [Double], _ n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<60 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { off += a[i * n + j] * a[i * n + j] } }
            if off < 1e-22 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) where abs(a[p * n + q]) > 1e-300 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }

    static func symmetricEigenvalues(_ matrix: [Double], _ n: Int) -> [Double] { symmetricEigen(matrix, n).values }

    /// The positive semi-definite square root V diag(sqrt(max(l, 0))) V^T.
    static func matrixSquareRoot(_ matrix: [Double], _ n: Int) -> [Double] {
        let (values, vectors) = symmetricEigen(matrix, n)
        var result = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            let root = max(values[k], 0).squareRoot()
            for i in 0..<n { for j in 0..<n { result[i * n + j] += vectors[i * n + k] * root * vectors[j * n + k] } }
        }
        return result
    }
}
