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

    /// A `size` x `size` coverage mask: true where the render over a transparent background has
    /// at least 20% opacity, whatever its colour. Light icons (drawn for dark panels) and
    /// semi-transparent parts count as ink, as the single-colour icon model draws them.
    ///
    /// - Throws: ``IconError/malformedSVG(file:detail:)`` when librsvg rejects the document.
    public static func coverageMask(_ svg: Data, size: Int, name: String = "icon") throws -> [Bool] {
        let image: RasterImage
        do { image = try SVGRenderer.render(svg, size: size, background: nil) } catch {
            throw IconError.malformedSVG(file: name, detail: "librsvg: \(error)")
        }
        let rgba = image.converted(to: .rgba).pixels
        return (0..<(size * size)).map { rgba[4 * $0 + 3] >= 51 }
    }

    /// IoU between the coverage of a parsed icon's original rendering and of its quantised form.
    public static func quantisationIoU(_ icon: ParsedIcon, quantized: QuantizedIcon, size: Int = 128) throws -> Double {
        intersectionOverUnion(try coverageMask(icon.referenceSVG, size: size, name: icon.name),
                              try coverageMask(quantized.svgData(), size: size, name: icon.name))
    }
}
