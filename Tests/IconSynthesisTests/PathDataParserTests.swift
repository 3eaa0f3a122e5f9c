import Foundation
import IconSynthesis
import Testing

/// Flattens paths to (command letter, coordinates) for compact expectations.
func describe(_ paths: [VectorPath]) -> [[String]] {
    paths.map { path in
        path.map { segment in
            let letter: String
            switch segment {
            case .move: letter = "M"
            case .line: letter = "L"
            case .cubic: letter = "C"
            }
            return letter + segment.points.map { p in
                let fx = abs(p.x.rounded() - p.x) < 1e-9 ? String(Int(p.x.rounded())) : String(format: "%.3f", p.x)
                let fy = abs(p.y.rounded() - p.y) < 1e-9 ? String(Int(p.y.rounded())) : String(format: "%.3f", p.y)
                return " \(fx),\(fy)"
            }.joined()
        }
    }
}

@Suite struct PathDataParserTests {
    @Test(arguments: [
        // Absolute and relative lines, H/V, Z closing back to the start.
        ("M1 2 L3 4 H10 V0 Z", [["M 1,2", "L 3,4", "L 10,4", "L 10,0", "L 1,2"]]),
        ("m1 2 l2 2 h7 v-4 z", [["M 1,2", "L 3,4", "L 10,4", "L 10,0", "L 1,2"]]),
        // Implicit lineto after moveto, comma and sign separators, exponents.
        ("M0,0 10,0-5-5 1e1 1E1", [["M 0,0", "L 10,0", "L -5,-5", "L 10,10"]]),
        ("m1 1 2 0 0 2", [["M 1,1", "L 3,1", "L 3,3"]]),
        // Cubic and smooth cubic (reflected control point), absolute and relative.
        ("M0 0 C1 2 3 4 5 6 S9 10 11 12", [["M 0,0", "C 1,2 3,4 5,6", "C 7,8 9,10 11,12"]]),
        ("M0 0 c1 2 3 4 5 6 s4 4 6 6", [["M 0,0", "C 1,2 3,4 5,6", "C 7,8 9,10 11,12"]]),
        // S without a preceding cubic uses the pen as first control point.
        ("M0 0 S3 3 6 0", [["M 0,0", "C 0,0 3,3 6,0"]]),
        // Quadratic raised to cubic: controls at p0 + 2/3 (q - p0) and p2 + 2/3 (q - p2).
        ("M0 0 Q3 6 6 0", [["M 0,0", "C 2,4 4,4 6,0"]]),
        ("M0 0 q3 6 6 0 t6 0", [["M 0,0", "C 2,4 4,4 6,0", "C 8,-4 10,-4 12,0"]]),
        // Two sub-paths; decimals run together (".5.5" is 0.5 then 0.5).
        ("M0 0L1 1ZM.5.5L2 2", [["M 0,0", "L 1,1", "L 0,0"], ["M 0.500,0.500", "L 2,2"]]),
        // Drawing after Z starts from the closed sub-path's start.
        ("M1 1L5 1L5 5Zl0 4", [["M 1,1", "L 5,1", "L 5,5", "L 1,1"], ["M 1,1", "L 1,5"]]),
    ])
    func commands(data: String, expected: [[String]]) throws {
        #expect(describe(try PathDataParser.parse(data, file: "t")) == expected)
    }

    @Test func halfCircleArcIsTwoQuarterCubicsOnTheCircle() throws {
        // From (0,0) to (10,0), radius 5, sweep: passes through (5,5) (y down, clockwise).
        let paths = try PathDataParser.parse("M0 0 A5 5 0 0 1 10 0", file: "t")
        #expect(paths[0].count == 3)
        guard case .cubic(let c1, let c2, let mid) = paths[0][1] else { Issue.record("expected a cubic"); return }
        #expect(abs(mid.x - 5) < 1e-9 && abs(mid.y - -5) < 1e-9 || abs(mid.x - 5) < 1e-9 && abs(mid.y - 5) < 1e-9)
        // Quarter-circle handle length 4/3 tan(pi/8) * r = 2.7614.
        let k = 4.0 / 3.0 * tan(Double.pi / 8) * 5
        #expect(abs(abs(c1.y) - k) < 1e-9 && abs(c1.x) < 1e-9)
        #expect(abs(abs(c2.x - 5) - k) < 1e-9)
        #expect(paths[0].last!.end == VectorPoint(10, 0))
    }

    @Test func arcSweepFlagChoosesTheSide() throws {
        let up = try PathDataParser.parse("M0 0 A5 5 0 0 0 10 0", file: "t")
        let down = try PathDataParser.parse("M0 0 A5 5 0 0 1 10 0", file: "t")
        #expect(up[0][1].end.y * down[0][1].end.y < 0)
    }

    @Test func arcRadiiTooSmallAreScaledUp() throws {
        // F.6.6: radius 1 cannot span 10 units; it is scaled to 5 (a half circle).
        let paths = try PathDataParser.parse("M0 0 A1 1 0 0 1 10 0", file: "t")
        let mid = paths[0][1].end
        #expect(abs(mid.x - 5) < 1e-9 && abs(abs(mid.y) - 5) < 1e-9)
    }

    @Test func largeArcFlagsWithoutSeparators() throws {
        // "a5 5 0 1 0 ..." written compactly as "a5 5 0 10 10 0": flags 1 and 0, then 10 0.
        let compact = try PathDataParser.parse("M0 0a5 5 0 10 10 0", file: "t")
        let spaced = try PathDataParser.parse("M0 0a5 5 0 1 0 10 0", file: "t")
        #expect(describe(compact) == describe(spaced))
        #expect(compact[0].last!.end == VectorPoint(10, 0))
    }

    @Test func rotatedEllipticalArcEndsAtTheEndPoint() throws {
        let paths = try PathDataParser.parse("M10 20 A30 10 45 1 1 40 50", file: "t")
        #expect(paths[0].count >= 3)
        #expect(paths[0].last!.end == VectorPoint(40, 50))
        #expect(paths[0].dropFirst().allSatisfy { if case .cubic = $0 { true } else { false } })
    }

    @Test func zeroRadiusArcIsALine() throws {
        #expect(describe(try PathDataParser.parse("M0 0A0 5 0 0 1 10 0", file: "t")) == [["M 0,0", "L 10,0"]])
    }

    @Test(arguments: ["M0 0 L1", "M0 0 X 4 4", "10 10 L 3 3", "M0 0 A5 5 0 2 1 10 0", "M0 0 L1 --2"])
    func malformedPathDataIsAnError(data: String) {
        #expect(throws: IconError.self) { try PathDataParser.parse(data, file: "bad.svg") }
    }
}
