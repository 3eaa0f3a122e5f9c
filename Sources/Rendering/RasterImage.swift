/// An 8-bit image in memory: gray, RGB or RGBA, rows top to bottom.
///
/// ```swift
/// var image = RasterImage(width: 28, height: 28, channels: .gray)
/// image[3, 4] = [255]
/// try image.writePNG(to: URL(fileURLWithPath: "digit.png"))
/// ```
public struct RasterImage: Sendable, Equatable {
    /// Bytes per pixel: 1 gray, 3 RGB, 4 RGBA.
    public enum Channels: Int, Sendable {
        /// Gray (1 byte), RGB (3 bytes) or RGBA (4 bytes) per pixel.
        case gray = 1, rgb = 3, rgba = 4
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Channels per pixel.
    public let channels: Channels
    /// `height * width * channels` bytes, row-major.
    public var pixels: [UInt8]

    /// A blank image (black, or transparent for RGBA), or filled with `fill` bytes per pixel.
    public init(width: Int, height: Int, channels: Channels, fill: [UInt8]? = nil) {
        self.width = width
        self.height = height
        self.channels = channels
        if let fill, fill.count == channels.rawValue {
            pixels = [UInt8]((0..<(width * height)).flatMap { _ in fill })
        } else {
            pixels = [UInt8](repeating: 0, count: width * height * channels.rawValue)
        }
    }

    /// Wraps existing bytes; throws when their count does not fit the size.
    public init(width: Int, height: Int, channels: Channels, pixels: [UInt8]) throws {
        guard width > 0, height > 0, pixels.count == width * height * channels.rawValue else {
            throw RenderingError.invalidImage(detail: "\(pixels.count) bytes for \(width)x\(height)x\(channels.rawValue)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The bytes of pixel (x, y).
    public subscript(x: Int, y: Int) -> [UInt8] {
        get {
            let start = (y * width + x) * channels.rawValue
            return Array(pixels[start..<(start + channels.rawValue)])
        }
        set {
            let start = (y * width + x) * channels.rawValue
            for c in 0..<channels.rawValue { pixels[start + c] = newValue[c] }
        }
    }

    /// A grayscale image from floats in [0, 1] (clamped), e.g. a decoded MNIST digit.
    public static func gray(width: Int, height: Int, values: [Float]) throws -> RasterImage {
        try RasterImage(width: width, height: height, channels: .gray,
                        pixels: values.map { UInt8((Swift.max(0, Swift.min(1, $0)) * 255).rounded()) })
    }

    /// The same picture with `channels` (gray is replicated, alpha composited over white).
    public func converted(to target: Channels) -> RasterImage {
        if target == channels { return self }
        var result = RasterImage(width: width, height: height, channels: target)
        for i in 0..<(width * height) {
            var rgba: (Int, Int, Int, Int)
            switch channels {
            case .gray: let v = Int(pixels[i]); rgba = (v, v, v, 255)
            case .rgb: rgba = (Int(pixels[3 * i]), Int(pixels[3 * i + 1]), Int(pixels[3 * i + 2]), 255)
            case .rgba: rgba = (Int(pixels[4 * i]), Int(pixels[4 * i + 1]), Int(pixels[4 * i + 2]), Int(pixels[4 * i + 3]))
            }
            if target != .rgba {
                // Composite over white.
                let a = rgba.3
                rgba = ((rgba.0 * a + 255 * (255 - a)) / 255, (rgba.1 * a + 255 * (255 - a)) / 255, (rgba.2 * a + 255 * (255 - a)) / 255, 255)
            }
            switch target {
            case .gray: result.pixels[i] = UInt8((rgba.0 * 299 + rgba.1 * 587 + rgba.2 * 114) / 1000)
            case .rgb: result.pixels[3 * i] = UInt8(rgba.0); result.pixels[3 * i + 1] = UInt8(rgba.1); result.pixels[3 * i + 2] = UInt8(rgba.2)
            case .rgba:
                result.pixels[4 * i] = UInt8(rgba.0); result.pixels[4 * i + 1] = UInt8(rgba.1)
                result.pixels[4 * i + 2] = UInt8(rgba.2); result.pixels[4 * i + 3] = UInt8(rgba.3)
            }
        }
        return result
    }

    /// Tiles equally sized images into a grid (a contact sheet), `columns` wide, with
    /// `spacing` pixels of `background` between tiles.
    public static func contactSheet(_ images: [RasterImage], columns: Int, spacing: Int = 2, background: UInt8 = 255) throws -> RasterImage {
        guard let first = images.first, columns > 0 else { throw RenderingError.invalidImage(detail: "a contact sheet needs at least one image") }
        let tiles = images.map { $0.converted(to: first.channels) }
        guard tiles.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw RenderingError.invalidImage(detail: "contact sheet tiles must share one size")
        }
        let rows = (tiles.count + columns - 1) / columns
        let width = columns * first.width + (columns + 1) * spacing, height = rows * first.height + (rows + 1) * spacing
        let c = first.channels.rawValue
        var sheet = RasterImage(width: width, height: height, channels: first.channels,
                                fill: [UInt8](repeating: background, count: c).enumerated().map { $0.offset == 3 ? 255 : $0.element })
        for (index, tile) in tiles.enumerated() {
            let x0 = spacing + (index % columns) * (first.width + spacing), y0 = spacing + (index / columns) * (first.height + spacing)
            for y in 0..<tile.height {
                let source = y * tile.width * c, destination = ((y0 + y) * width + x0) * c
                sheet.pixels.replaceSubrange(destination..<(destination + tile.width * c), with: tile.pixels[source..<(source + tile.width * c)])
            }
        }
        return sheet
    }
}

/// Errors of image encoding, decoding and rendering; each names the file or what is wrong.
public enum RenderingError: Error, CustomStringConvertible, Equatable {
    /// Pixels that do not fit the size, tiles of different sizes, or a PNG libpng cannot encode.
    case invalidImage(detail: String)
    /// A file that cannot be read or is not a supported PNG.
    case unreadableFile(path: String, detail: String)
    /// A file that cannot be written.
    case unwritableFile(path: String, detail: String)
    /// SVG that librsvg cannot parse or render; `detail` is librsvg's message.
    case invalidSVG(detail: String)

    /// The message, naming the file where there is one.
    public var description: String {
        switch self {
        case let .invalidImage(detail): return "invalid image: \(detail)"
        case let .unreadableFile(path, detail): return "\(path): \(detail)"
        case let .unwritableFile(path, detail): return "\(path): cannot write: \(detail)"
        case let .invalidSVG(detail): return "invalid SVG: \(detail)"
        }
    }
}
