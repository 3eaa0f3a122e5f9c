import Foundation
import SafeTensors
import Testing

/// The part of a fixture's `reference.json` these tests use.
private struct Reference: Decodable {
    struct Tensor: Decodable {
        let shape: [Int]
        let dtype: String
    }
    let tensors: [String: Tensor]
}

/// PyTorch dtype names in reference.json -> safetensors dtypes.
private let torchDTypes: [String: SafeTensorsDType] = [
    "float32": .f32, "float16": .f16, "bfloat16": .bf16, "float64": .f64, "int64": .i64, "int32": .i32,
]

@Suite("Hugging Face fixtures")
struct FixtureTests {
    @Test("Names, shapes and dtypes equal reference.json", arguments: ["gpt2-tiny", "llama-tiny"])
    func tensorTable(model: String) throws {
        let file = try SafeTensorsFile(path: Fixtures.path("\(model)/model.safetensors"))
        let referenceData = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("\(model)/reference.json")))
        let reference = try JSONDecoder().decode(Reference.self, from: referenceData)

        #expect(Set(file.names) == Set(reference.tensors.keys))
        #expect(file.names.count == reference.tensors.count)
        for (name, expected) in reference.tensors {
            let info = try file.info(name)
            #expect(info.shape == expected.shape, "\(name)")
            #expect(info.dtype == torchDTypes[expected.dtype], "\(name): \(expected.dtype)")
            #expect(try file.floats(name).count == expected.shape.reduce(1, *))
        }
        #expect(file.metadata == ["format": "pt"])
    }

    /// Expected values came from parsing the file by hand with numpy:
    ///
    /// ```
    /// python3 -c "
    /// import json,struct,numpy as np
    /// for m,names in [('gpt2-tiny',['transformer.wte.weight','transformer.h.1.mlp.c_fc.bias','transformer.ln_f.weight']),('llama-tiny',['model.embed_tokens.weight','model.layers.1.self_attn.k_proj.weight','model.norm.weight','lm_head.weight'])]:
    ///     b=open('Tests/Fixtures/'+m+'/model.safetensors','rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n])
    ///     for k in names:
    ///         s,t=h[k]['data_offsets']; a=np.frombuffer(b[8+n+s:8+n+t],dtype='<f4')
    ///         print(m,k,[repr(float(x)) for x in (a[0],a[1],a[len(a)//2],a[-1])], repr(float(a.astype(np.float64).sum())))
    /// "
    /// ```
    /// (first, second, middle [count/2] and last element, then the float64 sum).
    static let spotChecks: [(model: String, tensor: String, values: [Float], sum: Double)] = [
        ("gpt2-tiny", "transformer.wte.weight",
         [0.3033294379711151, 0.24230477213859558, -0.10139119625091553, -0.15019023418426514], 41.761832887423225),
        ("gpt2-tiny", "transformer.h.1.mlp.c_fc.bias",
         [-0.01831093430519104, 0.0337052047252655, -0.059526391327381134, -0.057852745056152344], 0.11653025417035678),
        ("gpt2-tiny", "transformer.ln_f.weight",
         [1.0163246393203735, 0.9373896718025208, 1.1851094961166382, 1.0181301832199097], 65.2391607761383),
        ("llama-tiny", "model.embed_tokens.weight",
         [0.10988485813140869, -0.18857425451278687, 0.15371303260326385, 0.2389896959066391], -38.950993226216724),
        ("llama-tiny", "model.layers.1.self_attn.k_proj.weight",
         [-0.2298741191625595, 0.37017080187797546, 0.027206307277083397, 0.6357933878898621], 0.6566284596337937),
        ("llama-tiny", "model.norm.weight",
         [0.9870220422744751, 0.965221107006073, 0.9055140018463135, 0.9173677563667297], 64.95268976688385),
        ("llama-tiny", "lm_head.weight",
         [-0.2814599573612213, -0.2880900502204895, 0.0480094812810421, 0.5390980243682861], -62.18792913324614),
    ]

    @Test("Spot-checked values equal numpy's", arguments: 0..<spotChecks.count)
    func spotCheck(index: Int) throws {
        let check = Self.spotChecks[index]
        let values = try SafeTensorsFile(path: Fixtures.path("\(check.model)/model.safetensors")).floats(check.tensor)
        // The decimal literals are exact reprs of float32 values, so equality is exact.
        #expect([values[0], values[1], values[values.count / 2], values[values.count - 1]] == check.values)
        let sum = values.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - check.sum) < 1e-9, "sum \(sum) vs \(check.sum)")
    }

    @Test("Older hub layout: causal-mask buffers are readable")
    func hubLayout() throws {
        let file = try SafeTensorsFile(path: Fixtures.path("gpt2-tiny-hub-layout/model.safetensors"))
        #expect(file.contains("wte.weight"))
        #expect(!file.contains("transformer.wte.weight"))
        let mask = try file.floats("h.0.attn.bias")  // [1, 1, 64, 64] lower-triangular ones
        #expect(try file.info("h.0.attn.bias").shape == [1, 1, 64, 64])
        #expect(mask[0] == 1 && mask[1] == 0 && mask[64 + 1] == 1 && mask[64 * 64 - 1] == 1)
        #expect(mask.reduce(0, +) == Float(64 * 65 / 2))
        expectError(.tensorNotFound, path: file.path, tensor: "lm_head.weight") { _ = try file.info("lm_head.weight") }
    }
}
