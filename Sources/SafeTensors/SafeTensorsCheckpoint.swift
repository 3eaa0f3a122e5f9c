/// The tensors of one checkpoint, possibly spread over several safetensors files
/// (Hugging Face shards), looked up by name as if they were one file.
///
/// Usually obtained from ``CheckpointFolder/openWeights(verifyChecksum:)``.
///
/// ```swift
/// let weights = try CheckpointFolder(directory: folderURL).openWeights()
/// let norm = try weights.floats("model.norm.weight")   // [C]
/// ```
public struct SafeTensorsCheckpoint: Sendable {
    /// The opened files, shards in file-name order.
    public let files: [SafeTensorsFile]
    private let fileByName: [String: SafeTensorsFile]

    /// Combines `files`, whose tensor names must be distinct.
    ///
    /// - Throws: ``SafeTensorsError`` `.invalidConfig` naming a tensor found in two files.
    public init(files: [SafeTensorsFile]) throws {
        self.files = files
        var fileByName: [String: SafeTensorsFile] = [:]
        for file in files {
            for name in file.names {
                if let earlier = fileByName[name] {
                    throw SafeTensorsError(.invalidConfig, path: file.path, tensor: name,
                                           detail: "also stored in \(earlier.path); shards must not repeat tensors")
                }
                fileByName[name] = file
            }
        }
        self.fileByName = fileByName
    }

    /// All tensor names, sorted.
    public var names: [String] { fileByName.keys.sorted() }

    /// Whether some file holds tensor `name`.
    public func contains(_ name: String) -> Bool { fileByName[name] != nil }

    /// The file holding tensor `name`.
    ///
    /// - Throws: ``SafeTensorsError`` `.tensorNotFound` naming the first file.
    public func file(containing name: String) throws -> SafeTensorsFile {
        guard let file = fileByName[name] else {
            let where_ = files.count == 1 ? files[0].path : "\(files.first?.path ?? "<no files>") and \(max(files.count - 1, 0)) other shards"
            throw SafeTensorsError(.tensorNotFound, path: where_, tensor: name, detail: "no such tensor in this checkpoint")
        }
        return file
    }

    /// The tensor's description; see ``SafeTensorsFile/info(_:)``.
    public func info(_ name: String) throws -> TensorInfo { try file(containing: name).info(name) }

    /// The tensor's elements as `Float`; see ``SafeTensorsFile/floats(_:)``.
    public func floats(_ name: String) throws -> [Float] { try file(containing: name).floats(name) }

    /// Fills a caller buffer with the tensor's elements; see ``SafeTensorsFile/read(_:into:)``.
    public func read(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        try file(containing: name).read(name, into: destination)
    }
}
