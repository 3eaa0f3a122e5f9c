import FileIO
import Foundation
internal import CPNG

/// PNG encoding and decoding through libpng's simplified API (the only libpng user).
extension RasterImage {
    /// The image as PNG bytes.
    public func pngData() throws -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = pngFormat(channels)
        var size: Int = 0
        let stride = Int32(width * channels.rawValue)
        // First call measures, second writes.
        guard pixels.withUnsafeBytes({ png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil) }) != 0 else {
            throw RenderingError.invalidImage(detail: "libpng could not size the image")
        }
        var data = Data(count: size)
        let ok = data.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        guard ok != 0 else { throw RenderingError.invalidImage(detail: "libpng failed to encode") }
        return data.prefix(size)
    }

    /// Writes a PNG file atomically (`FileIO.AtomicWrite`: temporary file, fsync, rename, fsync the folder).
    public func writePNG(to url: URL) throws {
        let data = try pngData()
        do { try AtomicWrite.data(data, to: url) } catch let error as FileIOError {
            throw RenderingError.unwritableFile(path: url.path, detail: error.reason)
        }
    }

    /// Reads a PNG file (any PNG colour type; converted to gray, RGB or RGBA as stored).
    public static func readPNG(from url: URL) throws -> RasterImage {
        guard let data = try? Data(contentsOf: url) else {
            throw RenderingError.unreadableFile(path: url.path, detail: "cannot read the file")
        }
        return try decodePNG(data, name: url.path)
    }

    /// Decodes PNG bytes; `name` is used in error messages.
    public static func decodePNG(_ data: Data, name: String = "PNG data") throws -> RasterImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let opened = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, data.count) }
        guard opened != 0 else {
            throw RenderingError.unreadableFile(path: name, detail: "not a PNG file (\(message(image)))")
        }
        defer { png_image_free(&image) }
        let hasColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let channels: Channels = hasAlpha ? .rgba : (hasColor ? .rgb : .gray)
        guard image.width > 0, image.height > 0, Int(image.width) * Int(image.height) <= 1 << 28 else {
            throw RenderingError.unreadableFile(path: name, detail: "unsupported size \(image.width)x\(image.height)")
        }
        image.format = pngFormat(channels)
        var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * channels.rawValue)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw RenderingError.unreadableFile(path: name, detail: "corrupt PNG (\(message(image)))") }
        return try RasterImage(width: Int(image.width), height: Int(image.height), channels: channels, pixels: pixels)
    }
}

private func pngFormat(_ channels: RasterImage.Channels) -> UInt32 {
    switch channels {
    // The composite PNG_FORMAT_* macros do not import into Swift; build them from the flags.
    case .gray: return 0
    case .rgb: return UInt32(PNG_FORMAT_FLAG_COLOR)
    case .rgba: return UInt32(PNG_FORMAT_FLAG_COLOR) | UInt32(PNG_FORMAT_FLAG_ALPHA)
    }
}

private func message(_ image: png_image) -> String {
    var copy = image.message
    return withUnsafeBytes(of: &copy) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
}
