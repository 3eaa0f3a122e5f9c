import Foundation
import Rendering
import Tensors

/// Labelled images in memory: 8-bit pixels (gray or RGB), one class label each.
///
/// ```swift
/// let train = try ImageDataset.mnist(directory: URL(fileURLWithPath: "Examples/data/mnist"), split: .train)
/// let batch = train.batch([0, 1, 2])   // [3, 1, 28, 28] in [0, 1]
/// ```
public struct ImageDataset: Sendable {
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    /// `count * channels * height * width` bytes, each image channel-major (CHW).
    public let pixels: [UInt8]
    /// One label in `0..<classNames.count` per image.
    public let labels: [Int]
    /// The name of each class (digits for MNIST, sub-folder names for PNG folders).
    public let classNames: [String]

    /// Wraps images and labels, checking that they fit together.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8], labels: [Int], classNames: [String]) throws {
        guard width > 0, height > 0, channels == 1 || channels == 3 else {
            throw ImageDataError.mismatch(detail: "images must be gray or RGB with a positive size, got \(width)x\(height)x\(channels)")
        }
        guard pixels.count == labels.count * width * height * channels else {
            throw ImageDataError.mismatch(detail: "\(labels.count) labels but \(pixels.count / Swift.max(1, width * height * channels)) images")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw ImageDataError.mismatch(detail: "label \(bad) is outside 0..<\(classNames.count)")
        }
        (self.width, self.height, self.channels, self.pixels, self.labels, self.classNames) = (width, height, channels, pixels, labels, classNames)
    }

    /// Number of images.
    public var count: Int { labels.count }
    /// Bytes per image.
    public var imageSize: Int { width * height * channels }

    /// Images at `indices` as a float tensor `[B, C, H, W]` with values in [0, 1].
    public func batch(_ indices: [Int]) -> Tensor {
        let size = imageSize
        let result = Tensor(uninitializedShape: [indices.count, channels, height, width])
        result.storage.pointer.withMemoryRebound(to: Float.self, capacity: indices.count * size) { out in
            pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    for i in 0..<size { out[row * size + i] = Float(source[index * size + i]) / 255 }
                }
            }
        }
        return result
    }

    /// The first `limit` images (or all), keeping labels.
    public func prefix(_ limit: Int) -> ImageDataset {
        let n = Swift.min(limit, count)
        return try! ImageDataset(width: width, height: height, channels: channels, pixels: Array(pixels[0..<(n * imageSize)]),
                                 labels: Array(labels[0..<n]), classNames: classNames)
    }

    /// Which MNIST file pair to read.
    public enum Split: String, Sendable, CaseIterable { case train, test }

    /// Reads MNIST-style IDX files: `train-images-idx3-ubyte[.gz]` and
    /// `train-labels-idx1-ubyte[.gz]` (or `t10k-...` for the test split) from `directory`.
    public static func mnist(directory: URL, split: Split) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        func find(_ stem: String) throws -> URL {
            for name in [stem + ".gz", stem] {
                let url = directory.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            throw ImageDataError.unreadableFile(path: directory.appendingPathComponent(stem + ".gz").path, detail: "no such file (nor without .gz)")
        }
        return try idx(images: find("\(prefix)-images-idx3-ubyte"), labels: find("\(prefix)-labels-idx1-ubyte"))
    }

    /// Reads an IDX image file `[N, H, W]` (gray) or `[N, H, W, 3]` (RGB) and an IDX label
    /// file `[N]`.
    public static func idx(images imagesURL: URL, labels labelsURL: URL) throws -> ImageDataset {
        let images = try IDXFile(contentsOf: imagesURL), labels = try IDXFile(contentsOf: labelsURL)
        guard images.dimensions.count == 3 || (images.dimensions.count == 4 && images.dimensions[3] == 3) else {
            throw ImageDataError.invalidIDX(path: imagesURL.path, detail: "image file has dimensions \(images.dimensions), expected [N, H, W] or [N, H, W, 3]")
        }
        guard labels.dimensions.count == 1 else {
            throw ImageDataError.invalidIDX(path: labelsURL.path, detail: "label file has dimensions \(labels.dimensions), expected [N]")
        }
        guard labels.dimensions[0] == images.dimensions[0] else {
            throw ImageDataError.mismatch(detail: "\(imagesURL.path) holds \(images.dimensions[0]) images but \(labelsURL.path) holds \(labels.dimensions[0]) labels")
        }
        let values = labels.bytes.map(Int.init)
        let classCount = (values.max() ?? 0) + 1
        let (n, h, w) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        var pixels = images.bytes
        let channels = images.dimensions.count == 4 ? 3 : 1
        if channels == 3 {
            // IDX stores HWC; the data set keeps CHW.
            pixels = [UInt8](repeating: 0, count: images.bytes.count)
            for i in 0..<n { for y in 0..<h { for x in 0..<w { for c in 0..<3 {
                pixels[((i * 3 + c) * h + y) * w + x] = images.bytes[((i * h + y) * w + x) * 3 + c]
            } } } }
        }
        return try ImageDataset(width: w, height: h, channels: channels, pixels: pixels, labels: values,
                                classNames: (0..<Swift.max(classCount, 10)).map(String.init))
    }
}
