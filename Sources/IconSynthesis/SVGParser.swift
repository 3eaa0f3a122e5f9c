// Real-world icon SVGs to canonical geometry, the input stage of IconShop (Wu et al. 2023,
// section 3.1 "SVG representation": every icon becomes paths of M, L and C commands in a
// normalised square). Shapes follow SVG 1.1 chapter 9 ("Basic shapes"), transforms
// section 7.4, viewBox section 7.7, fonts chapter 20 (glyph outlines are y-up in font units).

import Foundation

/// One icon read from a file: geometry in the unit square (y down) plus what is needed to
/// render the original for the quantisation check.
public struct ParsedIcon: Sendable {
    /// The file name (without extension) or the glyph name.
    public var name: String
    /// Sub-paths, coordinates in [0, 1] (the viewBox fitted into the unit square, centred).
    public var paths: [VectorPath]
    /// A self-contained SVG document librsvg renders like the original (the file itself, or a
    /// glyph wrapped into a document with its y-up transform).
    public var referenceSVG: Data
}

/// Parses SVG documents and SVG fonts into ``ParsedIcon`` values.
///
/// ```swift
/// let icons = try SVGParser.parse(try Data(contentsOf: url), file: url.lastPathComponent)
/// let grid = IconQuantizer(gridSize: 200).quantize(icons[0].paths)
/// ```
public enum SVGParser {
    /// Every icon in `data`: one for an ordinary SVG, one per named glyph for an SVG font.
    ///
    /// - Throws: ``IconError`` (malformed, unsupported feature, no drawable content) naming `file`.
    public static func parse(_ data: Data, file: String) throws -> [ParsedIcon] {
        let root = try XMLReader.parse(data, file: file)
        guard localName(root.name) == "svg" else {
            throw IconError.malformedSVG(file: file, detail: "root element is <\(root.name)>, expected <svg>")
        }
        let fonts = collect(root) { localName($0.name) == "font" }
        if !fonts.isEmpty { return try fonts.flatMap { try glyphs(of: $0, file: file) } }

        let box = try viewBox(of: root, file: file)
        var paths: [VectorPath] = []
        try walk(root, transform: .identity, fillNone: false, into: &paths, file: file)
        guard !paths.isEmpty else { throw IconError.noDrawableContent(file: file) }
        let name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".svg", with: "")
        let normalised = normalise(paths, box: box)
        // Huge numbers, scale(1e308) or a viewBox of 1e-320 overflow to infinity or NaN.
        guard normalised.allSatisfy({ $0.allSatisfy { $0.points.allSatisfy { $0.x.isFinite && $0.y.isFinite } } }) else {
            throw IconError.malformedSVG(file: file, detail: "coordinates overflow (infinite or NaN after the viewBox and transforms)")
        }
        return [ParsedIcon(name: name, paths: normalised, referenceSVG: data)]
    }

    static func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    private static func collect(_ node: XMLNode, _ matches: (XMLNode) -> Bool) -> [XMLNode] {
        (matches(node) ? [node] : []) + node.children.flatMap { collect($0, matches) }
    }

    /// (minX, minY, width, height) from `viewBox`, else from `width`/`height`.
    static func viewBox(of root: XMLNode, file: String) throws -> (Double, Double, Double, Double) {
        if let text = root.attributes["viewBox"] {
            let values = try NumberScanner.numbers(in: text, file: file)
            guard values.count == 4, values[2] > 0, values[3] > 0 else {
                throw IconError.malformedSVG(file: file, detail: "viewBox \"\(text)\" needs 4 numbers with positive width and height")
            }
            return (values[0], values[1], values[2], values[3])
        }
        func length(_ key: String) -> Double? {
            root.attributes[key].flatMap { Double($0.trimmingCharacters(in: .letters.union(.whitespaces))) }
        }
        guard let width = length("width"), let height = length("height"), width > 0, height > 0 else {
            throw IconError.malformedSVG(file: file, detail: "<svg> has neither a viewBox nor a numeric width and height")
        }
        return (0, 0, width, height)
    }

    /// Maps the box into the unit square, centred, aspect ratio kept (xMidYMid meet).
    static func normalise(_ paths: [VectorPath], box: (Double, Double, Double, Double)) -> [VectorPath] {
        let (minX, minY, width, height) = box
        let side = max(width, height)
        let offsetX = (side - width) / 2, offsetY = (side - height) / 2
        return paths.map { path in
            path.map { $0.mapped { VectorPoint(($0.x - minX + offsetX) / side, ($0.y - minY + offsetY) / side) } }
        }
    }

    /// A presentation property from the attribute or the `style` attribute.
    static func property(_ key: String, of node: XMLNode) -> String? {
        if let style = node.attributes["style"] {
            for declaration in style.split(separator: ";") {
                let parts = declaration.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return node.attributes[key]
    }

    private static let ignoredSubtrees: Set<String> = [
        "defs", "title", "desc", "metadata", "style", "symbol", "clipPath", "mask", "pattern",
        "linearGradient", "radialGradient", "filter", "script",
    ]
    private static let unsupportedElements: Set<String> = ["use", "text", "image", "foreignObject", "textPath"]

    private static func walk(_ node: XMLNode, transform: AffineTransform, fillNone: Bool,
                             into paths: inout [VectorPath], file: String) throws {
        let name = localName(node.name)
        if ignoredSubtrees.contains(name) || !conditionsHold(node) { return }
        if unsupportedElements.contains(name) { throw IconError.unsupported(file: file, feature: "<\(name)> (line \(node.line))") }
        if property("display", of: node) == "none" || property("visibility", of: node) == "hidden" { return }
        for key in ["clip-path", "mask", "filter"] where node.attributes[key] != nil || property(key, of: node) != nil {
            if property(key, of: node) != "none" { throw IconError.unsupported(file: file, feature: "\(key) (line \(node.line))") }
        }
        var local = transform
        if let text = node.attributes["transform"] { local = transform.concatenating(try AffineTransform.parse(text, file: file)) }
        var noFill = fillNone
        if let fill = property("fill", of: node) { noFill = fill == "none" || fill == "transparent" }
        if let opacity = property("fill-opacity", of: node) ?? property("opacity", of: node), Double(opacity) == 0 { noFill = true }

        let shape = try ShapeReader.paths(of: node, name: name, file: file)
        if let shape {
            if noFill {
                // Stroked outlines are not fills: converting them would change the picture.
                if let stroke = property("stroke", of: node), stroke != "none" {
                    throw IconError.unsupported(file: file, feature: "stroked <\(name)> without fill (line \(node.line))")
                }
                return
            }
            paths += shape.map { path in path.map { $0.mapped(local.apply) } }
            return
        }
        // A <switch> draws only its first child whose conditions hold (SVG 1.1 section 5.8.2).
        let drawn = name == "switch" ? node.children.first(where: conditionsHold).map { [$0] } ?? [] : node.children
        for child in drawn {
            try walk(child, transform: local, fillNone: noFill, into: &paths, file: file)
        }
    }

    /// SVG 1.1 section 5.8.1 conditional processing, as librsvg evaluates it: no extension is
    /// supported (Illustrator's `<foreignObject requiredExtensions="&ns_ai;">` is never drawn),
    /// `requiredFeatures` is ignored (as in SVG 2); `systemLanguage` holds for English.
    static func conditionsHold(_ node: XMLNode) -> Bool {
        if let extensions = node.attributes["requiredExtensions"], extensions.contains(where: { !$0.isWhitespace }) { return false }
        if let languages = node.attributes["systemLanguage"] {
            return languages.split(separator: ",").contains { tag in
                let language = tag.trimmingCharacters(in: .whitespaces).lowercased()
                return language == "en" || language.hasPrefix("en-")
            }
        }
        return true
    }

    /// The named glyphs of an SVG font, flipped from y-up font units into the unit square.
    private static func glyphs(of font: XMLNode, file: String) throws -> [ParsedIcon] {
        let face = font.children.first { localName($0.name) == "font-face" }
        let unitsPerEm = face?.attributes["units-per-em"].flatMap(Double.init) ?? 1000
        let ascent = face?.attributes["ascent"].flatMap(Double.init) ?? unitsPerEm
        let defaultAdvance = font.attributes["horiz-adv-x"].flatMap(Double.init) ?? unitsPerEm
        var icons: [ParsedIcon] = []
        for glyph in font.children where localName(glyph.name) == "glyph" {
            guard let d = glyph.attributes["d"], let name = glyph.attributes["glyph-name"], !name.isEmpty else { continue }
            let advance = glyph.attributes["horiz-adv-x"].flatMap(Double.init) ?? defaultAdvance
            let flip = AffineTransform(a: 1, b: 0, c: 0, d: -1, e: 0, f: ascent)
            let raw = try PathDataParser.parse(d, file: "\(file) glyph \(name)")
            guard !raw.isEmpty else { continue }
            let flipped = raw.map { path in path.map { $0.mapped(flip.apply) } }
            let box = (0.0, 0.0, max(advance, 1), unitsPerEm)
            let escaped = d.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            let reference = """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(box.2) \(box.3)">\
                <path transform="matrix(1 0 0 -1 0 \(ascent))" d="\(escaped)"/></svg>
                """
            icons.append(ParsedIcon(name: name, paths: normalise(flipped, box: box), referenceSVG: Data(reference.utf8)))
        }
        guard !icons.isEmpty else { throw IconError.noDrawableContent(file: file) }
        return icons
    }
}
