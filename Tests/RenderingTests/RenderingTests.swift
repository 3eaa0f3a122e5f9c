import Foundation
import Rendering
import Testing

/// PNG round trips, SVG rasterisation and the errors for bad input.
struct RenderingTests {
    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rendering-\(UUID().uuidString)-\(name)")
    }

    @Test(arguments: [RasterImage.Channels.gray, .rgb, .rgba])
    func pngRoundTripIsExact(channels: RasterImage.Channels) throws {
        var image = RasterImage(width: 13, height: 7, channels: channels)
        for i in image.pixels.indices { image.pixels[i] = UInt8((i * 37) % 256) }
        let url = Self.temporaryFile("round.png")
        defer { try? FileManager.default.removeItem(at: url) }
        try image.writePNG(to: url)
        #expect(try RasterImage.readPNG(from: url) == image)
    }

    @Test func svgRendersWhereItDraws() throws {
        // A black square in the left half of a 100x100 viewBox.
        let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect x="0" y="0" width="50" height="100" fill="black"/></svg>"#.utf8)
        let image = try SVGRenderer.render(svg, size: 64).converted(to: .gray)
        #expect(image[10, 32] == [0])
        #expect(image[54, 32] == [255])
    }

    @Test func canvasDrawsLinesAndText() throws {
        let canvas = Canvas(width: 80, height: 40)
        canvas.polyline([(0, 20), (80, 20)], color: .black, lineWidth: 4)
        canvas.text("Hi", x: 5, y: 12, size: 10)
        let image = canvas.image().converted(to: .gray)
        #expect(image[40, 20] == [0])
        #expect(image[40, 35] == [255])
        #expect((0..<40).contains { x in (0..<14).contains { y in image[x, y][0] < 128 } })  // some text ink
    }

    @Test func contactSheetTilesImages() throws {
        let black = RasterImage(width: 4, height: 4, channels: .gray)
        let sheet = try RasterImage.contactSheet([black, black, black], columns: 2, spacing: 1)
        #expect(sheet.width == 2 * 4 + 3 && sheet.height == 2 * 4 + 3)
        #expect(sheet[1, 1] == [0] && sheet[6, 1] == [0] && sheet[1, 6] == [0])  // three tiles
        #expect(sheet[0, 0] == [255] && sheet[5, 5] == [255] && sheet[6, 6] == [255])  // spacing, empty fourth slot
    }

    @Test func badInputGivesClearErrors() throws {
        #expect(throws: RenderingError.self) { try SVGRenderer.render(Data("<svg".utf8), size: 8) }
        let url = Self.temporaryFile("bad.png")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("not a png".utf8).write(to: url)
        do {
            _ = try RasterImage.readPNG(from: url)
            Issue.record("garbage decoded as PNG")
        } catch let error as RenderingError {
            #expect("\(error)".contains(url.path))
        }
        #expect(throws: RenderingError.self) { try RasterImage.readPNG(from: Self.temporaryFile("missing.png")) }
    }
}
