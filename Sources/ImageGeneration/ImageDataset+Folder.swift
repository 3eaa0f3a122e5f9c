import Foundation
import Rendering

extension ImageDataset {
    /// Reads a folder of PNG files whose sub-folder names are the labels
    /// (`root/7/00012.png`). Sub-folders are sorted (numerically when all names are
    /// integers); every image must have the size of the first; gray images stay gray unless
    /// any image is in colour, RGBA is composited over white.
    ///
    /// - Throws: ``ImageDataError/invalidFolder(path:detail:)`` for an empty folder or a PNG
    ///   of another size; decoding errors name the PNG file.
    public static func pngFolder(_ root: URL) throws -> ImageDataset {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageDataError.invalidFolder(path: root.path, detail: "no such folder (pass --data with an MNIST IDX folder or a folder of PNGs)")
        }
        let entries = try manager.contentsOfDirectory(atPath: root.path).filter { name in
            var folder: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &folder) && folder.boolValue
        }
        let numeric = entries.allSatisfy { Int($0) != nil }
        let classNames = numeric ? entries.sorted { Int($0)! < Int($1)! } : entries.sorted()
        guard !classNames.isEmpty else {
            throw ImageDataError.invalidFolder(path: root.path, detail: "no sub-folders; expected one sub-folder of PNGs per label")
        }
        var images: [RasterImage] = [], labels: [Int] = []
        for (label, name) in classNames.enumerated() {
            let folder = root.appendingPathComponent(name)
            let files = try manager.contentsOfDirectory(atPath: folder.path).filter { $0.lowercased().hasSuffix(".png") }.sorted()
            for file in files {
                images.append(try RasterImage.readPNG(from: folder.appendingPathComponent(file)))
                labels.append(label)
            }
        }
        guard let first = images.first else {
            throw ImageDataError.invalidFolder(path: root.path, detail: "no .png files in its sub-folders")
        }
        let colour = images.contains { $0.channels != .gray }
        let channels = colour ? 3 : 1
        var pixels: [UInt8] = []
        pixels.reserveCapacity(images.count * first.width * first.height * channels)
        var index = 0
        for (label, name) in classNames.enumerated() {
            let folder = root.appendingPathComponent(name)
            let files = try manager.contentsOfDirectory(atPath: folder.path).filter { $0.lowercased().hasSuffix(".png") }.sorted()
            for file in files {
                let image = images[index].converted(to: colour ? .rgb : .gray)
                index += 1
                guard image.width == first.width, image.height == first.height else {
                    throw ImageDataError.invalidFolder(
                        path: folder.appendingPathComponent(file).path,
                        detail: "is \(image.width)x\(image.height), but the first image is \(first.width)x\(first.height); all images must share one size")
                }
                _ = label
                for c in 0..<channels { for p in 0..<(image.width * image.height) { pixels.append(image.pixels[p * channels + c]) } }
            }
        }
        return try ImageDataset(width: first.width, height: first.height, channels: channels, pixels: pixels,
                                labels: labels, classNames: classNames)
    }

    /// Loads MNIST IDX files when `location` is a folder holding them, else a PNG folder.
    public static func load(_ location: URL, split: Split) throws -> ImageDataset {
        let manager = FileManager.default
        let stem = split == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"
        if manager.fileExists(atPath: location.appendingPathComponent(stem + ".gz").path)
            || manager.fileExists(atPath: location.appendingPathComponent(stem).path) {
            return try mnist(directory: location, split: split)
        }
        let splitFolder = location.appendingPathComponent(split.rawValue)
        if manager.fileExists(atPath: splitFolder.path) { return try pngFolder(splitFolder) }
        return try pngFolder(location)
    }

    /// Converts image `index` to a ``RasterImage``.
    public func rasterImage(_ index: Int) -> RasterImage {
        let plane = width * height
        var bytes = [UInt8](repeating: 0, count: plane * channels)
        for c in 0..<channels { for p in 0..<plane { bytes[p * channels + c] = pixels[index * imageSize + c * plane + p] } }
        return try! RasterImage(width: width, height: height, channels: channels == 1 ? .gray : .rgb, pixels: bytes)
    }
}
