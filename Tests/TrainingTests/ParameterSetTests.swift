import Autograd
import Foundation
import SafeTensors
import Tensors
import Testing
import Training

/// Naming, counting, saving and strict loading of parameter sets.
struct ParameterSetTests {
    @Test func countsAndLooksUpByName() throws {
        let model = TinyMLP(seed: 1)
        let parameters = try model.parameters()
        #expect(parameters.count == 4)
        #expect(parameters.scalarCount == 4 * 16 + 16 + 16 * 3 + 3)
        #expect(parameters.trainableScalarCount == parameters.scalarCount)
        #expect(parameters["fc2.bias"] === model.b2)
        #expect(parameters["nope"] == nil)
        #expect(parameters.names == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    }

    @Test func namedInitializerSortsAndNames() throws {
        let parameters = try ParameterSet(named: ["z": Variable(Tensor.zeros([1])), "a": Variable(Tensor.zeros([2]))])
        #expect(parameters.names == ["a", "z"])
        #expect(parameters[0].name == "a")
    }

    @Test func rejectsRepeatedAndEmptyNames() {
        let a = Variable(Tensor.zeros([1]), name: "x"), b = Variable(Tensor.zeros([1]), name: "x")
        #expect(throws: TrainingError.invalidParameter(name: "x", detail: "appears twice in the parameter set")) {
            try ParameterSet([a, b])
        }
        #expect(throws: TrainingError.self) { try ParameterSet([Variable(Tensor.zeros([1]))]) }
    }

    @Test func rejectsStridedViews() throws {
        let view = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]).transposed(0, 1)
        #expect(throws: TrainingError.self) { try ParameterSet([Variable(view, name: "t")]) }
    }

    @Test func saveAndLoadRoundTripInPlace() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        let source = TinyMLP(seed: 1), target = TinyMLP(seed: 2)
        try source.parameters().save(to: path, metadata: ["step": "3"])
        #expect(try SafeTensorsFile(path: path).metadata["step"] == "3")
        let storage = target.w1.value.storage
        try target.parameters().load(from: path)
        #expect(target.w1.value.storage === storage)  // loaded into the existing buffer
        #expect(try target.parameters().snapshot() == source.parameters().snapshot())
    }

    @Test func loadNamesTheMismatchedTensorAndChangesNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        try TinyMLP(hiddenSize: 8, seed: 1).parameters().save(to: path)
        let target = TinyMLP(hiddenSize: 16, seed: 2)
        let before = try target.parameters().snapshot()
        #expect(throws: TrainingError.tensorMismatch(path: path, tensor: "fc1.weight",
                                                     detail: "has shape [4, 8] in the file but [4, 16] in the model")) {
            try target.parameters().load(from: path)
        }
        #expect(try target.parameters().snapshot() == before)
    }

    @Test func loadReportsMissingAndUnexpectedTensors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        let model = TinyMLP(seed: 1)
        try ParameterSet([model.w1, model.b1, model.w2]).save(to: path)
        #expect(throws: TrainingError.tensorMismatch(path: path, tensor: "fc2.bias",
                                                     detail: "is missing from the file (it has 3 tensors)")) {
            try model.parameters().load(from: path)
        }
        try model.parameters().save(to: path)
        #expect(throws: TrainingError.tensorMismatch(path: path, tensor: "fc2.bias",
                                                     detail: "is in the file but the model has no such parameter")) {
            try ParameterSet([model.w1, model.b1, model.w2]).load(from: path)
        }
    }
}
