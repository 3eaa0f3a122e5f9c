// Geometry of parsed icons: points, M/L/C segments and 2-D affine transforms
// (SVG 1.1, section 7.4 "The 'transform' attribute": matrix(a b c d e f) maps
// (x, y) to (a x + c y + e, b x + d y + f)).

import Foundation

/// A point in user or grid coordinates.
public struct VectorPoint: Sendable, Equatable, Hashable {
    /// Horizontal coordinate.
    public var x: Double
    /// Vertical coordinate (down).
    public var y: Double
    /// The point `(x, y)`.
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    static func + (a: VectorPoint, b: VectorPoint) -> VectorPoint { VectorPoint(a.x + b.x, a.y + b.y) }
    static func - (a: VectorPoint, b: VectorPoint) -> VectorPoint { VectorPoint(a.x - b.x, a.y - b.y) }
    static func * (a: VectorPoint, s: Double) -> VectorPoint { VectorPoint(a.x * s, a.y * s) }
}

/// One drawing command of a canonical path: every path is `move` followed by lines and
/// cubic Béziers (the start point of a segment is the end of the previous one).
public enum VectorSegment: Sendable, Equatable, Hashable {
    /// Starts a sub-path at a point.
    case move(VectorPoint)
    /// A straight line to a point.
    case line(VectorPoint)
    /// A cubic Bézier: two control points, then the end point.
    case cubic(VectorPoint, VectorPoint, VectorPoint)

    /// The end point of the segment.
    public var end: VectorPoint {
        switch self {
        case .move(let p), .line(let p): return p
        case .cubic(_, _, let p): return p
        }
    }

    /// Every point of the segment, control points first.
    public var points: [VectorPoint] {
        switch self {
        case .move(let p), .line(let p): return [p]
        case .cubic(let a, let b, let c): return [a, b, c]
        }
    }

    func mapped(_ transform: (VectorPoint) -> VectorPoint) -> VectorSegment {
        switch self {
        case .move(let p): return .move(transform(p))
        case .line(let p): return .line(transform(p))
        case .cubic(let a, let b, let c): return .cubic(transform(a), transform(b), transform(c))
        }
    }
}

/// A closed or open sub-path: starts with `.move`, then `.line`/`.cubic` segments.
public typealias VectorPath = [VectorSegment]

/// A 2-D affine transform `[a c e; b d f; 0 0 1]`.
public struct AffineTransform: Sendable, Equatable {
    /// The matrix entries: `(x, y)` maps to `(a x + c y + e, b x + d y + f)`.
    public var a, b, c, d, e, f: Double

    /// A transform from its six entries, as SVG's `matrix(a b c d e f)`.
    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// The transform that changes nothing.
    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)

    /// A shift by `(x, y)`.
    public static func translation(_ x: Double, _ y: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: 0, d: 1, e: x, f: y)
    }

    /// A scaling by `x` horizontally and `y` vertically.
    public static func scale(_ x: Double, _ y: Double) -> AffineTransform {
        AffineTransform(a: x, b: 0, c: 0, d: y, e: 0, f: 0)
    }

    /// Rotation by `degrees` (clockwise on screen, as SVG's y-down `rotate`).
    public static func rotation(_ degrees: Double) -> AffineTransform {
        let r = degrees * .pi / 180
        return AffineTransform(a: cos(r), b: sin(r), c: -sin(r), d: cos(r), e: 0, f: 0)
    }

    /// `self` applied after `other` (`self * other`): maps p to self(other(p)).
    public func concatenating(_ other: AffineTransform) -> AffineTransform {
        AffineTransform(a: a * other.a + c * other.b, b: b * other.a + d * other.b,
                        c: a * other.c + c * other.d, d: b * other.c + d * other.d,
                        e: a * other.e + c * other.f + e, f: b * other.e + d * other.f + f)
    }

    /// `p` transformed.
    public func apply(_ p: VectorPoint) -> VectorPoint {
        VectorPoint(a * p.x + c * p.y + e, b * p.x + d * p.y + f)
    }

    /// Parses an SVG `transform` list such as `translate(2 3) rotate(45, 8, 8) scale(2)`.
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` naming the bad list.
    public static func parse(_ text: String, file: String) throws -> AffineTransform {
        var result = AffineTransform.identity
        var scanner = Substring(text)
        func fail(_ why: String) -> IconError { .malformedSVG(file: file, detail: "transform \"\(text)\": \(why)") }
        while true {
            scanner = scanner.drop { $0.isWhitespace || $0 == "," }
            if scanner.isEmpty { break }
            guard let open = scanner.firstIndex(of: "("), let close = scanner.firstIndex(of: ")"), open < close else {
                throw fail("expected name(arguments)")
            }
            let name = scanner[..<open].trimmingCharacters(in: .whitespaces)
            let arguments = try NumberScanner.numbers(in: String(scanner[scanner.index(after: open)..<close]), file: file)
            scanner = scanner[scanner.index(after: close)...]
            let n = arguments.count
            let t: AffineTransform
            switch (name, n) {
            case ("matrix", 6):
                t = AffineTransform(a: arguments[0], b: arguments[1], c: arguments[2], d: arguments[3], e: arguments[4], f: arguments[5])
            case ("translate", 1), ("translate", 2): t = .translation(arguments[0], n == 2 ? arguments[1] : 0)
            case ("scale", 1), ("scale", 2): t = .scale(arguments[0], n == 2 ? arguments[1] : arguments[0])
            case ("rotate", 1): t = .rotation(arguments[0])
            case ("rotate", 3):
                t = AffineTransform.translation(arguments[1], arguments[2])
                    .concatenating(.rotation(arguments[0])).concatenating(.translation(-arguments[1], -arguments[2]))
            case ("skewX", 1): t = AffineTransform(a: 1, b: 0, c: tan(arguments[0] * .pi / 180), d: 1, e: 0, f: 0)
            case ("skewY", 1): t = AffineTransform(a: 1, b: tan(arguments[0] * .pi / 180), c: 0, d: 1, e: 0, f: 0)
            default: throw fail("unsupported \(name) with \(n) arguments")
            }
            result = result.concatenating(t)
        }
        return result
    }
}

/// Reads SVG numbers (`-1.5e2`, `.5.5` as two numbers, comma or space separated).
enum NumberScanner {
    static func numbers(in text: String, file: String) throws -> [Double] {
        var reader = PathDataReader(text, file: file)
        var values: [Double] = []
        while let value = try reader.nextNumberIfAny() { values.append(value) }
        reader.skipSeparators()
        guard reader.atEnd else { throw IconError.malformedSVG(file: file, detail: "bad number list \"\(text)\"") }
        return values
    }
}
