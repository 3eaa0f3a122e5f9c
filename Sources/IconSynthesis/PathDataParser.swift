// SVG path data (SVG 1.1, section 8.3 "Path data"): M/L/H/V/C/S/Q/T/A/Z, absolute and
// relative, implicit command repetition. Quadratics are raised to cubics exactly
// (control points p0 + 2/3 (q - p0), p2 + 2/3 (q - p2)); arcs go through ``ArcConverter``.

import Foundation

/// A byte scanner over path data and number lists.
struct PathDataReader {
    private let bytes: [UInt8]
    private var index = 0
    let file: String

    init(_ text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSeparators() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x2C || bytes[index] == 0x0A
                || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    /// The next command letter, if the next non-separator byte is one.
    mutating func nextCommandIfAny() -> UInt8? {
        skipSeparators()
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        if (byte >= 0x41 && byte <= 0x5A || byte >= 0x61 && byte <= 0x7A) && byte != 0x65 && byte != 0x45 {
            index += 1
            return byte
        }
        return nil
    }

    /// Whether a number starts at the next non-separator byte.
    mutating func numberFollows() -> Bool {
        skipSeparators()
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        return byte == 0x2D || byte == 0x2B || byte == 0x2E || (byte >= 0x30 && byte <= 0x39)
    }

    mutating func nextNumberIfAny() throws -> Double? {
        guard numberFollows() else { return nil }
        let start = index
        if bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
        var sawDot = false, sawDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 { sawDigit = true; index += 1 }
            else if byte == 0x2E && !sawDot { sawDot = true; index += 1 }
            else { break }
        }
        if index < bytes.count, sawDigit, bytes[index] == 0x65 || bytes[index] == 0x45 {
            var probe = index + 1
            if probe < bytes.count, bytes[probe] == 0x2D || bytes[probe] == 0x2B { probe += 1 }
            if probe < bytes.count, bytes[probe] >= 0x30 && bytes[probe] <= 0x39 {
                index = probe
                while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            }
        }
        guard sawDigit, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            throw IconError.malformedSVG(file: file, detail: "bad number at byte \(start) of path data")
        }
        return value
    }

    mutating func number(for command: UInt8) throws -> Double {
        guard let value = try nextNumberIfAny() else {
            throw IconError.malformedSVG(file: file, detail: "command '\(Character(UnicodeScalar(command)))' is missing a number at byte \(index)")
        }
        return value
    }

    /// An arc flag: a single 0 or 1, which may be written without a separator ("a1 1 0 01 5 5").
    mutating func flag(for command: UInt8) throws -> Bool {
        skipSeparators()
        guard index < bytes.count, bytes[index] == 0x30 || bytes[index] == 0x31 else {
            throw IconError.malformedSVG(file: file, detail: "arc flag must be 0 or 1 at byte \(index)")
        }
        defer { index += 1 }
        return bytes[index] == 0x31
    }
}

/// Parses path data into absolute M/L/C sub-paths.
public enum PathDataParser {
    /// The sub-paths of `data`; a `Z` closes with a line back to the start (when not already there).
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` naming the byte at fault.
    ///
    /// ```swift
    /// let paths = try PathDataParser.parse("M0 0h10v10z", file: "square.svg")
    /// // [[.move(0,0), .line(10,0), .line(10,10), .line(0,0)]]
    /// ```
    public static func parse(_ data: String, file: String) throws -> [VectorPath] {
        var reader = PathDataReader(data, file: file)
        var paths: [VectorPath] = []
        var current: VectorPath = []
        var pen = VectorPoint(0, 0), start = VectorPoint(0, 0)
        var lastCubicControl: VectorPoint?, lastQuadraticControl: VectorPoint?
        var command: UInt8?

        func finish() {
            if current.count > 1 { paths.append(current) }
            current = []
        }
        var before = pen
        func appendSegment(_ segment: VectorSegment) {
            // Drawing without a preceding moveto starts at the pen (after Z: the sub-path start).
            if current.isEmpty { current = [.move(before)] }
            current.append(segment)
        }
        func close() {
            if current.count > 1, pen != start { current.append(.line(start)) }
            finish()
            pen = start
        }
        while true {
            if let next = reader.nextCommandIfAny() {
                command = next
            } else if reader.atEnd {
                break
            } else if command == nil || !reader.numberFollows() {
                throw IconError.malformedSVG(file: file, detail: "path data must start with a command (at \"\(data.prefix(20))\")")
            } else if command == 0x4D { command = 0x4C } else if command == 0x6D { command = 0x6C }
            guard let letter = command else { break }
            before = pen
            let relative = letter >= 0x61
            let origin = relative ? pen : VectorPoint(0, 0)
            func point() throws -> VectorPoint {
                let x = try reader.number(for: letter), y = try reader.number(for: letter)
                return VectorPoint(x, y) + origin
            }
            var cubicControl: VectorPoint?, quadraticControl: VectorPoint?
            switch letter | 0x20 {
            case 0x6D:  // m
                finish()
                pen = try point(); start = pen
                current = [.move(pen)]
            case 0x7A:  // z
                close()
                lastCubicControl = nil; lastQuadraticControl = nil
                command = nil
                continue
            case 0x6C: pen = try point(); appendSegment(.line(pen))
            case 0x68: pen = VectorPoint(try reader.number(for: letter) + (relative ? pen.x : 0), pen.y); appendSegment(.line(pen))
            case 0x76: pen = VectorPoint(pen.x, try reader.number(for: letter) + (relative ? pen.y : 0)); appendSegment(.line(pen))
            case 0x63:
                let c1 = try point(), c2 = try point(), end = try point()
                appendSegment(.cubic(c1, c2, end)); pen = end; cubicControl = c2
            case 0x73:
                let c1 = lastCubicControl.map { pen * 2 - $0 } ?? pen
                let c2 = try point(), end = try point()
                appendSegment(.cubic(c1, c2, end)); pen = end; cubicControl = c2
            case 0x71:
                let q = try point(), end = try point()
                appendSegment(quadratic(from: pen, q, end)); pen = end; quadraticControl = q
            case 0x74:
                let q = lastQuadraticControl.map { pen * 2 - $0 } ?? pen
                let end = try point()
                appendSegment(quadratic(from: pen, q, end)); pen = end; quadraticControl = q
            case 0x61:
                let rx = try reader.number(for: letter), ry = try reader.number(for: letter)
                let rotation = try reader.number(for: letter)
                let large = try reader.flag(for: letter), sweep = try reader.flag(for: letter)
                let end = try point()
                for segment in ArcConverter.cubics(from: pen, to: end, radiusX: rx, radiusY: ry, rotation: rotation,
                                                   largeArc: large, sweep: sweep) { appendSegment(segment) }
                pen = end
            default:
                throw IconError.malformedSVG(file: file, detail: "unknown path command '\(Character(UnicodeScalar(letter)))'")
            }
            lastCubicControl = cubicControl
            lastQuadraticControl = quadraticControl
        }
        finish()
        return paths
    }

    static func quadratic(from p0: VectorPoint, _ q: VectorPoint, _ p2: VectorPoint) -> VectorSegment {
        .cubic(p0 + (q - p0) * (2.0 / 3.0), p2 + (q - p2) * (2.0 / 3.0), p2)
    }
}
