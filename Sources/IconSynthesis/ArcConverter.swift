// Elliptical arcs to cubic Béziers. Endpoint-to-center conversion follows SVG 1.1
// Appendix F.6.5 (equations F.6.5.1-F.6.5.6) with the out-of-range radii correction of
// F.6.6 (equation F.6.6.2); each piece of at most 90 degrees becomes one cubic with the
// standard tangent length 4/3 tan(theta/4) (Maisonobe 2003, "Drawing an elliptical arc").

import Foundation

/// Converts SVG arc commands into cubic Bézier segments.
public enum ArcConverter {
    /// The cubics drawing the arc from `p1` to `p2`.
    ///
    /// A zero radius gives a straight line and identical end points give nothing (F.6.2); so
    /// does an arc whose numbers overflow (a line).
    ///
    /// ```swift
    /// // A half circle of radius 5 from (0, 0) to (10, 0):
    /// let pieces = ArcConverter.cubics(from: .init(0, 0), to: .init(10, 0), radiusX: 5, radiusY: 5,
    ///                                  rotation: 0, largeArc: false, sweep: true)   // 2 cubics
    /// ```
    public static func cubics(
        from p1: VectorPoint, to p2: VectorPoint, radiusX: Double, radiusY: Double,
        rotation: Double, largeArc: Bool, sweep: Bool
    ) -> [VectorSegment] {
        if p1 == p2 { return [] }
        var rx = abs(radiusX), ry = abs(radiusY)
        if rx == 0 || ry == 0 { return [.line(p2)] }
        let phi = rotation * .pi / 180
        let cosPhi = cos(phi), sinPhi = sin(phi)
        // F.6.5.1: (x1', y1').
        let dx = (p1.x - p2.x) / 2, dy = (p1.y - p2.y) / 2
        let x1 = cosPhi * dx + sinPhi * dy
        let y1 = -sinPhi * dx + cosPhi * dy
        // F.6.6.2: scale radii up when no ellipse fits.
        let lambda = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry)
        if lambda > 1 { rx *= lambda.squareRoot(); ry *= lambda.squareRoot() }
        // F.6.5.2: (cx', cy').
        let numerator = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
        let denominator = rx * rx * y1 * y1 + ry * ry * x1 * x1
        var factor = (max(0, numerator) / denominator).squareRoot()
        if largeArc == sweep { factor = -factor }
        let cxPrime = factor * rx * y1 / ry
        let cyPrime = -factor * ry * x1 / rx
        // F.6.5.3: the centre.
        let cx = cosPhi * cxPrime - sinPhi * cyPrime + (p1.x + p2.x) / 2
        let cy = sinPhi * cxPrime + cosPhi * cyPrime + (p1.y + p2.y) / 2
        // F.6.5.5 and F.6.5.6: start angle and sweep.
        func angle(_ ux: Double, _ uy: Double, _ vx: Double, _ vy: Double) -> Double {
            atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        }
        let theta1 = angle(1, 0, (x1 - cxPrime) / rx, (y1 - cyPrime) / ry)
        var delta = angle((x1 - cxPrime) / rx, (y1 - cyPrime) / ry, (-x1 - cxPrime) / rx, (-y1 - cyPrime) / ry)
        if !sweep && delta > 0 { delta -= 2 * .pi }
        if sweep && delta < 0 { delta += 2 * .pi }
        // Radii or coordinates so large that their squares overflow leave no arc to draw.
        guard delta.isFinite, theta1.isFinite, cx.isFinite, cy.isFinite else { return [.line(p2)] }

        let pieces = max(1, Int((abs(delta) / (.pi / 2) - 1e-9).rounded(.up)))
        let step = delta / Double(pieces)
        let k = 4.0 / 3.0 * tan(step / 4)
        func point(_ t: Double) -> VectorPoint {
            let x = rx * cos(t), y = ry * sin(t)
            return VectorPoint(cosPhi * x - sinPhi * y + cx, sinPhi * x + cosPhi * y + cy)
        }
        func derivative(_ t: Double) -> VectorPoint {
            let x = -rx * sin(t), y = ry * cos(t)
            return VectorPoint(cosPhi * x - sinPhi * y, sinPhi * x + cosPhi * y)
        }
        var segments: [VectorSegment] = []
        var t = theta1
        for index in 0..<pieces {
            let next = t + step
            let start = point(t)
            // End exactly on the given end point so paths stay closed.
            let end = index == pieces - 1 ? p2 : point(next)
            segments.append(.cubic(start + derivative(t) * k, end - derivative(next) * k, end))
            t = next
        }
        return segments
    }
}
