import Foundation
import Rendering

/// Binary renders of icons (through librsvg) and their intersection over union, the
/// quantisation check of `icons dataset build` and the raster novelty of `icons eval`.
public enum IconRaster {
    /// A `size` x `size` ink mask: true where the render over white is darker than mid-gray.
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` when librsvg rejects the document.
    public static func mask(_ svg: Data, size: Int, name: String = "icon") throws -> [Bool] {
        let image: RasterImage
        do { image = try SVGRenderer.render(svg, size: size, background: .white) } catch {
            throw IconError.malformedSVG(file: name, detail: "librsvg: \(error)")
        }
        let rgb = image.converted(to: .rgb).pixels
        var mask = [Bool](repeating: false, count: size * size)
        for i in 0..<(size * size) {
            let red = Int(rgb[3 * i]), green = Int(rgb[3 * i + 1]), blue = Int(rgb[3 * i + 2])
            mask[i] = 3 * red + 6 * green + blue < 1280
        }
        return mask
    }

    /// |A ∩ B| / |A ∪ B| of two equally sized masks (1 when both are empty).
    public static func intersectionOverUnion(_ a: [Bool], _ b: [Bool]) -> Double {
        var intersection = 0, union = 0
        for (x, y) in zip(a, b) {
            if x && y { intersection += 1 }
            if x || y { union += 1 }
        }
        return union == 0 ? 1 : Double(intersection) / Double(union)
    }

    /// IoU between a parsed icon's original rendering and its quantised form.
    public static func quantisationIoU(_ icon: ParsedIcon, quantized: QuantizedIcon, size: Int = 128) throws -> Double {
        intersectionOverUnion(try mask(icon.referenceSVG, size: size, name: icon.name),
                              try mask(quantized.svgData(), size: size, name: icon.name))
    }
}
