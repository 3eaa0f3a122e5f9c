import Foundation
import IconSynthesis
import Testing

func parseOne(_ svg: String) throws -> ParsedIcon {
    let icons = try SVGParser.parse(Data(svg.utf8), file: "test.svg")
    #expect(icons.count == 1)
    return icons[0]
}

/// Points scaled back from the unit square to a 0..<side viewBox.
func scaled(_ icon: ParsedIcon, side: Double) -> [[String]] {
    describe(icon.paths.map { $0.map { segment in
        switch segment {
        case .move(let p): return .move(VectorPoint(p.x * side, p.y * side))
        case .line(let p): return .line(VectorPoint(p.x * side, p.y * side))
        case .cubic(let a, let b, let c):
            return .cubic(VectorPoint(a.x * side, a.y * side), VectorPoint(b.x * side, b.y * side), VectorPoint(c.x * side, c.y * side))
        }
    } })
}

func document(_ body: String, viewBox: String = "0 0 100 100") -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"\(viewBox)\">\(body)</svg>"
}

@Suite struct SVGParserTests {
    @Test(arguments: [
        ("<rect x='10' y='20' width='30' height='40'/>", [["M 10,20", "L 40,20", "L 40,60", "L 10,60", "L 10,20"]]),
        ("<line x1='1' y1='2' x2='30' y2='40'/>", [["M 1,2", "L 30,40"]]),
        ("<polyline points='0,0 10,0 10,10'/>", [["M 0,0", "L 10,0", "L 10,10"]]),
        ("<polygon points='0 0 10 0 10 10'/>", [["M 0,0", "L 10,0", "L 10,10", "L 0,0"]]),
        ("<path d='M5 5h10v10z'/>", [["M 5,5", "L 15,5", "L 15,15", "L 5,5"]]),
    ])
    func basicShapes(body: String, expected: [[String]]) throws {
        #expect(scaled(try parseOne(document(body)), side: 100) == expected)
    }

    @Test func circleAndEllipsePassThroughTheirExtremes() throws {
        let circle = try parseOne(document("<circle cx='50' cy='50' r='20'/>"))
        let ends = circle.paths[0].map { $0.end }
        let expected = [VectorPoint(0.7, 0.5), VectorPoint(0.5, 0.7), VectorPoint(0.3, 0.5), VectorPoint(0.5, 0.3), VectorPoint(0.7, 0.5)]
        for (a, b) in zip(ends, expected) { #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9) }
        let ellipse = try parseOne(document("<ellipse cx='50' cy='50' rx='40' ry='10'/>"))
        let xs = ellipse.paths[0].map { $0.end.x }, ys = ellipse.paths[0].map { $0.end.y }
        #expect(abs(xs.max()! - 0.9) < 1e-9 && abs(xs.min()! - 0.1) < 1e-9)
        #expect(abs(ys.max()! - 0.6) < 1e-9 && abs(ys.min()! - 0.4) < 1e-9)
    }

    @Test func roundedRectHasArcsAtCorners() throws {
        let icon = try parseOne(document("<rect x='0' y='0' width='40' height='20' rx='5'/>"))
        let cubics = icon.paths[0].filter { if case .cubic = $0 { true } else { false } }
        #expect(cubics.count == 4)
        #expect(icon.paths[0][0] == .move(VectorPoint(0.05, 0)))
    }

    @Test func nestedGroupTransformsCompose() throws {
        // translate(10,20) then scale(2): the point (1, 1) lands on (12, 22).
        let body = "<g transform='translate(10 20)'><g transform='scale(2)'><line x1='1' y1='1' x2='2' y2='1'/></g></g>"
        #expect(scaled(try parseOne(document(body)), side: 100) == [["M 12,22", "L 14,22"]])
    }

    @Test(arguments: [
        ("rotate(90)", "M -1,1", "L -1,2"),
        ("rotate(90 1 1)", "M 1,1", "L 1,2"),
        ("matrix(1 0 0 1 5 6)", "M 6,7", "L 7,7"),
        ("skewX(45)", "M 2,1", "L 3,1"),
        ("skewY(45)", "M 1,2", "L 2,3"),
        ("translate(3) scale(2 3)", "M 5,3", "L 7,3"),
    ])
    func transforms(transform: String, move: String, line: String) throws {
        let body = "<line transform='\(transform)' x1='1' y1='1' x2='2' y2='1'/>"
        // A viewBox from -50 keeps negative results inside: shift expectations back by 50.
        let icon = try parseOne(document(body, viewBox: "-50 -50 100 100"))
        let shifted = icon.paths.map { $0.map { $0 } }
        let points = shifted[0].map { VectorPoint($0.end.x * 100 - 50, $0.end.y * 100 - 50) }
        func format(_ p: VectorPoint) -> String { "\(Int(p.x.rounded())),\(Int(p.y.rounded()))" }
        #expect(["M " + format(points[0]), "L " + format(points[1])] == [move, line])
        #expect(points.allSatisfy { abs($0.x - $0.x.rounded()) < 1e-9 && abs($0.y - $0.y.rounded()) < 1e-9 })
    }

    @Test func nonSquareViewBoxIsCentredInTheUnitSquare() throws {
        // 200 x 100 box: scale 1/200, the content is centred vertically (offset 50 units).
        let icon = try parseOne(document("<line x1='0' y1='0' x2='200' y2='100'/>", viewBox: "0 0 200 100"))
        #expect(icon.paths[0][0].end == VectorPoint(0, 0.25))
        #expect(icon.paths[0][1].end == VectorPoint(1, 0.75))
    }

    @Test func widthAndHeightWithoutViewBox() throws {
        let icon = try parseOne("<svg width='20px' height='20px'><line x1='0' y1='0' x2='10' y2='10'/></svg>")
        #expect(icon.paths[0][1].end == VectorPoint(0.5, 0.5))
    }

    @Test func fontGlyphsAreFlippedToYDown() throws {
        let font = """
            <?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd" >
            <svg xmlns="http://www.w3.org/2000/svg"><defs><font horiz-adv-x="100">
            <font-face units-per-em="100" ascent="80" descent="20"/>
            <missing-glyph/>
            <glyph glyph-name="corner" unicode="&#xF001;" d="M0 80L10 80L0 70Z"/>
            <glyph glyph-name="base" d="M0 0L100 0L100 10Z"/>
            <glyph glyph-name="space"/>
            </font></defs></svg>
            """
        let icons = try SVGParser.parse(Data(font.utf8), file: "font.svg")
        #expect(icons.map(\.name) == ["corner", "base"])
        // y-up 80 (the ascent) is the top edge: y-down 0.
        #expect(scaled(icons[0], side: 100) == [["M 0,0", "L 10,0", "L 0,10", "L 0,0"]])
        // The baseline y = 0 lies at y-down 80.
        #expect(scaled(icons[1], side: 100)[0][0] == "M 0,80")
    }

    @Test func stylesHiddenElementsAndDefsAreNotDrawn() throws {
        let body = """
            <defs><rect width='5' height='5'/></defs><title>t</title>
            <rect width='5' height='5' style='display:none'/><rect width='5' height='5' fill='none'/>
            <g fill="none"><rect width='5' height='5'/></g>
            <rect x='1' y='1' width='1' height='1' style='fill:#000'/>
            """
        let icon = try parseOne(document(body))
        #expect(icon.paths.count == 1)
        #expect(icon.paths[0][0] == .move(VectorPoint(0.01, 0.01)))
    }

    @Test(arguments: [
        ("<svg viewBox='0 0 10 10'><path d='M0 0L5 5'></svg>", "malformed"),
        ("<svg viewBox='0 0 10 10'><path d='M0 0 L5'/></svg>", "malformed"),
        ("not xml at all", "malformed"),
        ("", "malformed"),
        ("<html/>", "malformed"),
        ("<svg viewBox='0 0 10'><path d='M0 0L5 5'/></svg>", "malformed"),
        ("<svg viewBox='0 0 10 10'><use href='#a'/></svg>", "unsupported"),
        ("<svg viewBox='0 0 10 10'><text>A</text></svg>", "unsupported"),
        ("<svg viewBox='0 0 10 10'><path d='M0 0L5 5' fill='none' stroke='#000'/></svg>", "unsupported"),
        ("<svg viewBox='0 0 10 10'><title>empty</title></svg>", "empty"),
        ("<svg viewBox='0 0 10 10'><rect width='0' height='5'/></svg>", "empty"),
    ])
    func badInputsAreClearErrors(svg: String, kind: String) {
        do {
            _ = try SVGParser.parse(Data(svg.utf8), file: "bad.svg")
            Issue.record("expected an error for \(svg)")
        } catch let error as IconError {
            #expect(error.description.hasPrefix("bad.svg"))
            switch (error, kind) {
            case (.malformedSVG, "malformed"), (.unsupported, "unsupported"), (.noDrawableContent, "empty"): break
            default: Issue.record("\(svg): got \(error), expected \(kind)")
            }
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test func malformedXMLNamesTheLine() {
        let svg = "<svg viewBox='0 0 10 10'>\n<g>\n<path d='M0 0L1 1'/>\n</svg>"
        #expect(throws: IconError.self) { try SVGParser.parse(Data(svg.utf8), file: "bad.svg") }
        do { _ = try SVGParser.parse(Data(svg.utf8), file: "bad.svg") } catch {
            #expect("\(error)".contains("line 4"))
        }
    }

    @Test func entitiesInAttributesAreDecoded() throws {
        let icon = try parseOne("<svg viewBox=\"0 0 10 10\"><path d=\"M0 0&#x20;L5 5\"/></svg>")
        #expect(icon.paths[0].count == 2)
    }
}
