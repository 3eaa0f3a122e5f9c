import Autograd
import SafeTensors
import Tensors

/// Saving parameters to a safetensors file and loading them back in place.
extension ParameterSet {
    /// Writes every parameter as an F32 tensor under its name, atomically (a temporary file
    /// renamed over `path`), with ``SafeTensors``' checksum.
    ///
    /// - Parameters:
    ///   - path: the `.safetensors` file to create or replace; its directory must exist.
    ///   - metadata: extra header strings (keys must not start with `nexttoken.`).
    /// - Throws: `SafeTensorsError` naming the file.
    ///
    /// ```swift
    /// try parameters.save(to: "run/model.safetensors", metadata: ["step": "1000"])
    /// ```
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        var writer = try SafeTensorsWriter(path: path, metadata: metadata)
        for variable in variables {
            try writer.add(variable.name, shape: variable.shape, values: variable.value.readBuffer)
        }
        try writer.write()
    }

    /// Reads every parameter from a safetensors file into the variables' existing buffers,
    /// so models that hold these variables see the loaded values.
    ///
    /// Nothing is written unless the whole file matches: every parameter must be present
    /// with the same shape, and the file must hold no other tensor.
    ///
    /// - Parameter path: a file written by ``save(to:metadata:)`` (or any safetensors file
    ///   with matching names and shapes; F16/BF16 are converted).
    /// - Throws: ``TrainingError/tensorMismatch(path:tensor:detail:)`` naming the tensor,
    ///   or `SafeTensorsError` for an unreadable or corrupt file.
    ///
    /// ```swift
    /// try parameters.load(from: "run/checkpoint/model.safetensors")
    /// ```
    public func load(from path: String) throws {
        let file = try SafeTensorsFile(path: path)
        try checkShapes(against: file)
        for variable in variables {
            try file.read(variable.name, into: variable.value.mutableBuffer)
        }
    }

    /// Throws unless `file` holds exactly these names with these shapes.
    func checkShapes(against file: SafeTensorsFile, suffixes: [String] = [""]) throws {
        var expected: Set<String> = []
        for variable in variables {
            for suffix in suffixes {
                let name = variable.name + suffix
                expected.insert(name)
                guard file.contains(name) else {
                    throw TrainingError.tensorMismatch(path: file.path, tensor: name,
                                                       detail: "is missing from the file (it has \(file.names.count) tensors)")
                }
                let shape = try file.info(name).shape
                guard shape == variable.shape else {
                    throw TrainingError.tensorMismatch(path: file.path, tensor: name,
                                                       detail: "has shape \(shape) in the file but \(variable.shape) in the model")
                }
            }
        }
        if let extra = file.names.first(where: { !expected.contains($0) }) {
            throw TrainingError.tensorMismatch(path: file.path, tensor: extra,
                                               detail: "is in the file but the model has no such parameter")
        }
    }
}
