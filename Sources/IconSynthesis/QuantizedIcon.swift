// The canonical icon of IconShop (Wu et al. 2023, section 3.1): paths of M, L and C
// commands whose points lie on a W x W integer grid (W = 200 by default, as IconShop's
// 200 x 200 canvas).

import Foundation

/// A point on the integer grid, 0..<gridSize on each axis (y down).
public struct GridPoint: Sendable, Hashable, Codable {
    /// Column, 0 at the left.
    public var x: Int
    /// Row, 0 at the top.
    public var y: Int
    /// The point `(x, y)`.
    public init(_ x: Int, _ y: Int) { self.x = x; self.y = y }
}

/// A command of a quantised path.
public enum GridCommand: Sendable, Hashable {
    /// Starts a path at a point.
    case move(GridPoint)
    /// A straight line to a point.
    case line(GridPoint)
    /// A cubic Bézier: two control points, then the end point.
    case cubic(GridPoint, GridPoint, GridPoint)

    /// The command's points, control points first.
    public var points: [GridPoint] {
        switch self {
        case .move(let p), .line(let p): return [p]
        case .cubic(let a, let b, let c): return [a, b, c]
        }
    }
}

/// An icon as canonical quantised paths; each path is one `.move` then `.line`/`.cubic`s.
///
/// ```swift
/// let icon = try IconQuantizer(gridSize: 200).quantize(parsed.paths)
/// try icon.svgData().write(to: url)
/// ```
public struct QuantizedIcon: Sendable, Hashable {
    /// Side of the grid W.
    public var gridSize: Int
    /// The paths; each starts with `.move`.
    public var paths: [[GridCommand]]

    /// An icon on a `gridSize` grid.
    public init(gridSize: Int, paths: [[GridCommand]]) {
        self.gridSize = gridSize
        self.paths = paths
    }

    /// The icon as an SVG document: one `<path>` with fill-rule evenodd on a `0 0 W W` viewBox.
    public func svg(fill: String = "#000") -> String {
        var d = ""
        for path in paths {
            for command in path {
                switch command {
                case .move(let p): d += "M\(p.x) \(p.y)"
                case .line(let p): d += "L\(p.x) \(p.y)"
                case .cubic(let a, let b, let c): d += "C\(a.x) \(a.y) \(b.x) \(b.y) \(c.x) \(c.y)"
                }
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(gridSize) \(gridSize)" width="\(gridSize)" height="\(gridSize)">\
            <path fill="\(fill)" fill-rule="evenodd" d="\(d)"/></svg>

            """
    }

    /// ``svg(fill:)`` as UTF-8 data.
    public func svgData() -> Data { Data(svg().utf8) }
}

/// Snaps unit-square geometry to the grid and drops what collapses.
public struct IconQuantizer: Sendable {
    /// Side of the grid W.
    public let gridSize: Int

    /// - Throws: ``IconError/invalidArgument(name:detail:)`` unless 2 <= gridSize <= 1024.
    public init(gridSize: Int = 200) throws {
        guard (2...1024).contains(gridSize) else {
            throw IconError.invalidArgument(name: "gridSize", detail: "must be in 2...1024, got \(gridSize)")
        }
        self.gridSize = gridSize
    }

    func snap(_ p: VectorPoint) -> GridPoint {
        let scale = Double(gridSize)
        // Clamped before the conversion: Int(_:) traps on NaN, infinities and huge values.
        func axis(_ v: Double) -> Int {
            let cell = (v * scale).rounded()
            return cell >= 0 ? Int(min(cell, Double(gridSize - 1))) : 0
        }
        return GridPoint(axis(p.x), axis(p.y))
    }

    /// Quantised paths: zero-length lines and cubics collapsing to a point are dropped, and
    /// so are paths left without a drawing command and exact repeats of an earlier path
    /// (some sources draw a path twice, which the even-odd rendering would cancel out).
    /// Cubics whose control points leave the canvas are split (de Casteljau) until they fit,
    /// so that clamping does not bend curves that themselves stay inside.
    public func quantize(_ paths: [VectorPath]) -> QuantizedIcon {
        var result: [[GridCommand]] = []
        var seen = Set<[GridCommand]>()
        for path in paths {
            guard case .move(let first)? = path.first else { continue }
            var pen = snap(first)
            var commands: [GridCommand] = [.move(pen)]
            var start = first
            var segments: [VectorSegment] = []
            for segment in path.dropFirst() {
                if case .cubic(let a, let b, let c) = segment {
                    segments += Self.splitToCanvas(start, a, b, c, depth: 0)
                } else {
                    segments.append(segment)
                }
                start = segment.end
            }
            for segment in segments {
                switch segment {
                case .move: continue
                case .line(let p):
                    let q = snap(p)
                    if q != pen { commands.append(.line(q)); pen = q }
                case .cubic(let a, let b, let c):
                    let (qa, qb, qc) = (snap(a), snap(b), snap(c))
                    if qa == pen && qb == pen && qc == pen { continue }
                    if qa == pen && qb == qc || qa == pen && qb == pen || qb == qc && qa == qc {
                        // A cubic whose controls sit on its ends is a straight line.
                        if qc != pen { commands.append(.line(qc)) }
                    } else {
                        commands.append(.cubic(qa, qb, qc))
                    }
                    pen = qc
                }
            }
            if commands.count > 1, seen.insert(commands).inserted { result.append(commands) }
        }
        return QuantizedIcon(gridSize: gridSize, paths: result)
    }

    static func inside(_ p: VectorPoint) -> Bool { p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1 }

    /// Halves a cubic until its control points lie in the unit square (at most 4 levels).
    static func splitToCanvas(_ p0: VectorPoint, _ p1: VectorPoint, _ p2: VectorPoint, _ p3: VectorPoint, depth: Int) -> [VectorSegment] {
        if depth >= 4 || inside(p1) && inside(p2) { return [.cubic(p1, p2, p3)] }
        func mid(_ a: VectorPoint, _ b: VectorPoint) -> VectorPoint { (a + b) * 0.5 }
        let a = mid(p0, p1), b = mid(p1, p2), c = mid(p2, p3)
        let d = mid(a, b), e = mid(b, c), m = mid(d, e)
        return splitToCanvas(p0, a, d, m, depth: depth + 1) + splitToCanvas(m, e, c, p3, depth: depth + 1)
    }
}
