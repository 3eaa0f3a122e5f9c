import Foundation
import IconSynthesis
import Testing

@Suite struct QuantizationAndTokenizerTests {
    static let everyElement = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
          <g transform="translate(1 1) rotate(10 16 16)">
            <path d="M2 2h8v3H5v2h4v3H2z M12 2 q4 0 4 4 t4 4 l2 -6z M3 14 c2 -2 6 -2 8 0 s2 6 -4 6 z"/>
            <path d="M20 14 a4 3 20 1 1 6 4 A2 2 0 0 0 20 14z"/>
            <rect x="2" y="22" width="8" height="6" rx="2"/>
            <circle cx="16" cy="25" r="3"/>
            <ellipse cx="25" cy="25" rx="4" ry="2.5"/>
            <polygon points="12,12 16,11 17,16"/>
          </g>
        </svg>
        """

    @Test func quantisedIconMatchesTheLibrsvgRenderingOfTheOriginal() throws {
        let icon = try SVGParser.parse(Data(Self.everyElement.utf8), file: "all.svg")[0]
        let quantized = try IconQuantizer(gridSize: 200).quantize(icon.paths)
        let iou = try IconRaster.quantisationIoU(icon, quantized: quantized, size: 128)
        #expect(iou > 0.95, "IoU \(iou) against librsvg's rendering of the original")
        // A coarse grid loses detail: the IoU must drop, so the check can fail.
        let coarse = try IconQuantizer(gridSize: 8).quantize(icon.paths)
        #expect(try IconRaster.quantisationIoU(icon, quantized: coarse, size: 128) < iou)
    }

    @Test func fontGlyphMatchesLibrsvgRenderingWithItsFlip() throws {
        let font = """
            <svg xmlns="http://www.w3.org/2000/svg"><defs><font horiz-adv-x="512"><font-face units-per-em="512" ascent="448" descent="64"/>
            <glyph glyph-name="arrow" d="M64 192H320V64L480 224L320 384V256H64Z"/></font></defs></svg>
            """
        let glyph = try SVGParser.parse(Data(font.utf8), file: "font.svg")[0]
        let quantized = try IconQuantizer(gridSize: 200).quantize(glyph.paths)
        #expect(try IconRaster.quantisationIoU(glyph, quantized: quantized, size: 128) > 0.95)
    }

    @Test(arguments: [200, 64, 17])
    func serialisedIconParsesBackToTheSameGrid(gridSize: Int) throws {
        let icon = try SVGParser.parse(Data(Self.everyElement.utf8), file: "all.svg")[0]
        let quantizer = try IconQuantizer(gridSize: gridSize)
        let quantized = quantizer.quantize(icon.paths)
        let reparsed = try SVGParser.parse(quantized.svgData(), file: "round-trip.svg")[0]
        #expect(quantizer.quantize(reparsed.paths) == quantized)
    }

    @Test func quantisationDropsCollapsedSegments() throws {
        let quantizer = try IconQuantizer(gridSize: 10)
        let paths: [VectorPath] = [
            [.move(.init(0, 0)), .line(.init(0.01, 0.01)), .line(.init(0.5, 0)),
             .cubic(.init(0.5, 0), .init(0.5, 0), .init(0.5, 0)), .cubic(.init(0.5, 0), .init(0.9, 0.9), .init(0.9, 0.9))],
            [.move(.init(0.3, 0.3)), .line(.init(0.301, 0.3))],
        ]
        let icon = quantizer.quantize(paths)
        #expect(icon.paths == [[.move(GridPoint(0, 0)), .line(GridPoint(5, 0)), .line(GridPoint(9, 9))]])
    }

    @Test func tokenizerRoundTrip() throws {
        let icon = try IconQuantizer(gridSize: 200).quantize(SVGParser.parse(Data(Self.everyElement.utf8), file: "a.svg")[0].paths)
        let tokenizer = IconTokenizer(gridSize: 200, words: ["arrow", "camera"])
        let tokens = tokenizer.encode(icon)
        #expect(tokens.last == IconTokenizer.endOfIcon)
        #expect(tokens.filter { $0 == IconTokenizer.endOfPath }.count == icon.paths.count)
        #expect(try tokenizer.decode(tokens) == icon)
        #expect(tokenizer.vocabularySize == 11 + 2 + 400)
        #expect(tokenizer.prompt(text: "Camera-arrow camera zebra") == [IconTokenizer.bos, 12, 11, IconTokenizer.unknownWord, IconTokenizer.separator])
        #expect(tokenizer.decodeText([12, 11, IconTokenizer.unknownWord]) == ["camera", "arrow", "?"])
    }

    @Test(arguments: [
        ([IconTokenizer.lineTo], "before M"),
        ([IconTokenizer.moveTo, 13], "x then a y"),
        ([IconTokenizer.moveTo, 13, 213, IconTokenizer.endOfPath], "without a drawing command"),
        ([IconTokenizer.moveTo, 13, 213, IconTokenizer.moveTo], "M inside a path"),
        ([IconTokenizer.moveTo, 13, 213, IconTokenizer.lineTo, 14, 214], "inside a path"),
        ([IconTokenizer.bos], "not an SVG command"),
    ])
    func decodingRejectsBrokenSequences(tokens: [Int], message: String) {
        let tokenizer = IconTokenizer(gridSize: 200, words: ["a", "b"])
        do {
            _ = try tokenizer.decode(tokens)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}

@Suite struct QuantizationEdgeCaseTests {
    @Test func repeatedPathsAreKeptOnce() throws {
        // Drawn twice (as some source files do): even-odd would cancel the two copies.
        let svg = "<svg viewBox='0 0 10 10'><path d='M1 1H9V9H1Z'/><path d='M1 1H9V9H1Z'/></svg>"
        let icon = try SVGParser.parse(Data(svg.utf8), file: "twice.svg")[0]
        let quantized = try IconQuantizer(gridSize: 100).quantize(icon.paths)
        #expect(quantized.paths.count == 1)
        #expect(try IconRaster.quantisationIoU(icon, quantized: quantized, size: 64) > 0.95)
    }

    @Test func controlPointsOutsideTheCanvasAreSplitNotClamped() throws {
        // Bootstrap's heart: control points at x = -7.3 and 23.3 on a 16-unit canvas.
        let svg = """
            <svg viewBox="0 0 16 16"><path d="M8 15C-7.333 4.868 3.279-3.04 7.824 1.143c.06.055.119.112.176.171a3.12 3.12 0 0 1 .176-.17C12.72-3.042 23.333 4.867 8 15z"/></svg>
            """
        let icon = try SVGParser.parse(Data(svg.utf8), file: "heart.svg")[0]
        let quantized = try IconQuantizer(gridSize: 200).quantize(icon.paths)
        #expect(try IconRaster.quantisationIoU(icon, quantized: quantized, size: 96) > 0.95)
    }
}
