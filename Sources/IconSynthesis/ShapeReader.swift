// SVG 1.1 chapter 9 "Basic shapes": each shape is defined as an equivalent path
// (rect with rounded corners per section 9.2, circle/ellipse as four quarter arcs,
// polygon closed, polyline and line open).

import Foundation

/// Converts `<path>` and the basic shapes into sub-paths in user units.
enum ShapeReader {
    /// The shape's sub-paths, or `nil` when `node` is not a drawing element.
    static func paths(of node: XMLNode, name: String, file: String) throws -> [VectorPath]? {
        func number(_ key: String, default value: Double? = nil) throws -> Double {
            if let text = node.attributes[key] {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                let numeric = trimmed.hasSuffix("px") ? String(trimmed.dropLast(2)) : trimmed
                guard let parsed = Double(numeric), parsed.isFinite else {
                    throw IconError.malformedSVG(file: file, detail: "line \(node.line): <\(name)> attribute \(key)=\"\(text)\" is not a number")
                }
                return parsed
            }
            guard let value else {
                throw IconError.malformedSVG(file: file, detail: "line \(node.line): <\(name)> needs attribute \(key)")
            }
            return value
        }
        switch name {
        case "path":
            return try PathDataParser.parse(node.attributes["d"] ?? "", file: file)
        case "rect":
            let x = try number("x", default: 0), y = try number("y", default: 0)
            let width = try number("width"), height = try number("height")
            guard width > 0, height > 0 else { return [] }
            var rx = node.attributes["rx"] != nil ? try number("rx") : nil
            var ry = node.attributes["ry"] != nil ? try number("ry") : nil
            if rx == nil { rx = ry }
            if ry == nil { ry = rx }
            return [roundedRect(x: x, y: y, width: width, height: height,
                                rx: min(max(rx ?? 0, 0), width / 2), ry: min(max(ry ?? 0, 0), height / 2))]
        case "circle":
            let r = try number("r")
            guard r > 0 else { return [] }
            return [ellipse(cx: try number("cx", default: 0), cy: try number("cy", default: 0), rx: r, ry: r)]
        case "ellipse":
            let rx = try number("rx"), ry = try number("ry")
            guard rx > 0, ry > 0 else { return [] }
            return [ellipse(cx: try number("cx", default: 0), cy: try number("cy", default: 0), rx: rx, ry: ry)]
        case "line":
            let start = VectorPoint(try number("x1", default: 0), try number("y1", default: 0))
            let end = VectorPoint(try number("x2", default: 0), try number("y2", default: 0))
            return [[.move(start), .line(end)]]
        case "polyline", "polygon":
            let values = try NumberScanner.numbers(in: node.attributes["points"] ?? "", file: file)
            guard values.count >= 4 else { return [] }
            let points = stride(from: 0, to: values.count - 1, by: 2).map { VectorPoint(values[$0], values[$0 + 1]) }
            var path: VectorPath = [.move(points[0])] + points.dropFirst().map { .line($0) }
            if name == "polygon", points.last != points.first { path.append(.line(points[0])) }
            return [path]
        default:
            return nil
        }
    }

    /// A full ellipse as four quarter arcs, clockwise from the rightmost point.
    static func ellipse(cx: Double, cy: Double, rx: Double, ry: Double) -> VectorPath {
        let start = VectorPoint(cx + rx, cy)
        var path: VectorPath = [.move(start)]
        let quarterPoints = [VectorPoint(cx, cy + ry), VectorPoint(cx - rx, cy), VectorPoint(cx, cy - ry), start]
        var pen = start
        for next in quarterPoints {
            path += ArcConverter.cubics(from: pen, to: next, radiusX: rx, radiusY: ry, rotation: 0, largeArc: false, sweep: true)
            pen = next
        }
        return path
    }

    static func roundedRect(x: Double, y: Double, width: Double, height: Double, rx: Double, ry: Double) -> VectorPath {
        let right = x + width, bottom = y + height
        guard rx > 0, ry > 0 else {
            return [.move(.init(x, y)), .line(.init(right, y)), .line(.init(right, bottom)), .line(.init(x, bottom)), .line(.init(x, y))]
        }
        func arc(_ from: VectorPoint, _ to: VectorPoint) -> [VectorSegment] {
            ArcConverter.cubics(from: from, to: to, radiusX: rx, radiusY: ry, rotation: 0, largeArc: false, sweep: true)
        }
        var path: VectorPath = [.move(.init(x + rx, y)), .line(.init(right - rx, y))]
        path += arc(.init(right - rx, y), .init(right, y + ry))
        path.append(.line(.init(right, bottom - ry)))
        path += arc(.init(right, bottom - ry), .init(right - rx, bottom))
        path.append(.line(.init(x + rx, bottom)))
        path += arc(.init(x + rx, bottom), .init(x, bottom - ry))
        path.append(.line(.init(x, y + ry)))
        path += arc(.init(x, y + ry), .init(x + rx, y))
        return path
    }
}
