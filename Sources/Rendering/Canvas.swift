import Foundation
internal import CRsvg

/// An RGBA drawing surface on cairo, with SVG rendering through librsvg (the only user of
/// both libraries): renders of icons, forecast plots, labelled contact sheets.
///
/// Coordinates are pixels from the top-left corner.
///
/// ```swift
/// let canvas = Canvas(width: 400, height: 200)
/// canvas.polyline([(0, 100), (200, 50), (400, 150)], color: .blue, lineWidth: 2)
/// canvas.text("forecast", x: 10, y: 20, size: 12)
/// try canvas.image().writePNG(to: URL(fileURLWithPath: "plot.png"))
/// ```
public final class Canvas {
    /// A colour with components in [0, 1].
    public struct Color: Sendable, Equatable {
        /// Components in [0, 1]; alpha 1 is opaque.
        public var red, green, blue, alpha: Double
        /// A colour from its components (opaque by default).
        public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
            (self.red, self.green, self.blue, self.alpha) = (red, green, blue, alpha)
        }
        /// Opaque black.
        public static let black = Color(red: 0, green: 0, blue: 0)
        /// Opaque white.
        public static let white = Color(red: 1, green: 1, blue: 1)
        /// A mid gray (0.55).
        public static let gray = Color(red: 0.55, green: 0.55, blue: 0.55)
        /// A plot blue.
        public static let blue = Color(red: 0.12, green: 0.35, blue: 0.75)
        /// A plot orange.
        public static let orange = Color(red: 0.9, green: 0.45, blue: 0.1)
        /// A plot red.
        public static let red = Color(red: 0.8, green: 0.15, blue: 0.15)
    }

    /// Horizontal placement of text relative to `x`.
    public enum TextAnchor: Sendable { case start, middle, end }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// A canvas filled with `background` (nil: transparent).
    public init(width: Int, height: Int, background: Color? = .white) {
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        context = cairo_create(surface)
        if let background {
            setColor(background)
            cairo_paint(context)
        }
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    private func setColor(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    /// A straight or broken line through `points`.
    public func polyline(_ points: [(Double, Double)], color: Color = .black, lineWidth: Double = 1, dash: [Double] = []) {
        guard let first = points.first else { return }
        cairo_new_path(context)
        cairo_move_to(context, first.0, first.1)
        for point in points.dropFirst() { cairo_line_to(context, point.0, point.1) }
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    /// A filled polygon (for example a forecast band).
    public func fillPolygon(_ points: [(Double, Double)], color: Color) {
        guard let first = points.first else { return }
        cairo_new_path(context)
        cairo_move_to(context, first.0, first.1)
        for point in points.dropFirst() { cairo_line_to(context, point.0, point.1) }
        cairo_close_path(context)
        setColor(color)
        cairo_fill(context)
    }

    /// An axis-aligned rectangle, filled or outlined.
    public func rectangle(x: Double, y: Double, width: Double, height: Double, color: Color, filled: Bool = true, lineWidth: Double = 1) {
        cairo_new_path(context)
        cairo_rectangle(context, x, y, width, height)
        setColor(color)
        if filled { cairo_fill(context) } else { cairo_set_line_width(context, lineWidth); cairo_stroke(context) }
    }

    /// Text with its baseline at `y`.
    public func text(_ string: String, x: Double, y: Double, size: Double = 12, color: Color = .black, anchor: TextAnchor = .start) {
        cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let offset: Double
        switch anchor {
        case .start: offset = 0
        case .middle: offset = extents.x_advance / 2
        case .end: offset = extents.x_advance
        }
        setColor(color)
        cairo_move_to(context, x - offset, y)
        cairo_show_text(context, string)
    }

    /// Renders an SVG document scaled to fit the rectangle (aspect ratio kept).
    ///
    /// - Throws: ``RenderingError/invalidSVG(detail:)`` with librsvg's message.
    public func drawSVG(_ data: Data, x: Double, y: Double, width: Double, height: Double) throws {
        var error: UnsafeMutablePointer<GError>?
        let handle = data.withUnsafeBytes { bytes in
            rsvg_handle_new_from_data(bytes.bindMemory(to: UInt8.self).baseAddress, gsize(data.count), &error)
        }
        guard let handle else { throw RenderingError.invalidSVG(detail: Canvas.consume(error)) }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }
        var viewport = RsvgRectangle(x: x, y: y, width: width, height: height)
        guard rsvg_handle_render_document(handle, context, &viewport, &error) != 0 else {
            throw RenderingError.invalidSVG(detail: Canvas.consume(error))
        }
    }

    private static func consume(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "librsvg could not parse the document" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown librsvg error"
    }

    /// The pixels as straight (not premultiplied) RGBA.
    public func image() -> RasterImage {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var result = RasterImage(width: width, height: height, channels: .rgba)
        for y in 0..<height {
            for x in 0..<width {
                // Cairo stores premultiplied ARGB in native byte order: B, G, R, A here.
                let p = data + y * stride + 4 * x
                let a = Int(p[3])
                let i = 4 * (y * width + x)
                if a == 0 { continue }
                result.pixels[i] = UInt8(min(255, Int(p[2]) * 255 / a))
                result.pixels[i + 1] = UInt8(min(255, Int(p[1]) * 255 / a))
                result.pixels[i + 2] = UInt8(min(255, Int(p[0]) * 255 / a))
                result.pixels[i + 3] = UInt8(a)
            }
        }
        return result
    }
}

/// Renders SVG documents to images.
public enum SVGRenderer {
    /// The SVG fitted into a `size` x `size` image on `background` (nil: transparent).
    public static func render(_ data: Data, size: Int, background: Canvas.Color? = .white) throws -> RasterImage {
        let canvas = Canvas(width: size, height: size, background: background)
        try canvas.drawSVG(data, x: 0, y: 0, width: Double(size), height: Double(size))
        return canvas.image()
    }
}
