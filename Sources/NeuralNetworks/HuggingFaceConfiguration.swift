import Foundation

/// Translates a Hugging Face `config.json` (GPT-2 or LLaMA) into a ``DecoderConfiguration``.
///
/// Reads both transformers 4.x fields (`rope_theta`, `rope_scaling`, `torch_dtype`, `n_ctx`)
/// and 5.x fields (`rope_parameters`). Anything the model would compute differently from what
/// we implement is refused with the field named, rather than loaded and silently wrong.
enum HuggingFaceConfiguration {
    static func decoderConfiguration(from json: [String: Any], file: String) throws -> DecoderConfiguration {
        func value<T>(_ key: String, _ type: T.Type) throws -> T? {
            guard let raw = json[key], !(raw is NSNull) else { return nil }
            if T.self == Int.self, let number = raw as? NSNumber { return number.intValue as? T }
            if T.self == Float.self, let number = raw as? NSNumber { return number.floatValue as? T }
            if let typed = raw as? T { return typed }
            throw ModelError.unsupportedModel(file: file, detail: "field '\(key)' has an unexpected type")
        }
        func required<T>(_ key: String, _ type: T.Type) throws -> T {
            guard let result = try value(key, type) else {
                throw ModelError.unsupportedModel(file: file, detail: "missing field '\(key)'")
            }
            return result
        }
        var c = DecoderConfiguration()
        let modelType = try value("model_type", String.self) ?? ""
        switch modelType {
        case "gpt2":
            c.flavor = .gpt2
            c.vocabularySize = try required("vocab_size", Int.self)
            c.contextLength = try value("n_positions", Int.self) ?? required("n_ctx", Int.self)
            c.hiddenSize = try required("n_embd", Int.self)
            c.layerCount = try required("n_layer", Int.self)
            c.headCount = try required("n_head", Int.self)
            c.intermediateSize = try value("n_inner", Int.self)
            c.normEpsilon = try value("layer_norm_epsilon", Float.self) ?? 1e-5
            c.tiedEmbeddings = try value("tie_word_embeddings", Bool.self) ?? true
            let activation = try value("activation_function", String.self) ?? "gelu_new"
            guard ["gelu_new", "gelu_pytorch_tanh", "gelu_fast"].contains(activation) else {
                throw ModelError.unsupportedModel(file: file, detail: "field 'activation_function' is '\(activation)'; only the tanh GELU (gelu_new) is implemented")
            }
            if try value("scale_attn_by_inverse_layer_idx", Bool.self) == true || value("reorder_and_upcast_attn", Bool.self) == true {
                throw ModelError.unsupportedModel(file: file, detail: "fields 'scale_attn_by_inverse_layer_idx'/'reorder_and_upcast_attn' are not supported")
            }
        case "llama", "mistral":
            c.flavor = .llama
            c.vocabularySize = try required("vocab_size", Int.self)
            c.contextLength = try value("max_position_embeddings", Int.self) ?? 2048
            c.hiddenSize = try required("hidden_size", Int.self)
            c.layerCount = try required("num_hidden_layers", Int.self)
            c.headCount = try required("num_attention_heads", Int.self)
            c.keyValueHeadCount = try value("num_key_value_heads", Int.self)
            c.headSize = try value("head_dim", Int.self)
            c.intermediateSize = try required("intermediate_size", Int.self)
            c.normEpsilon = try value("rms_norm_eps", Float.self) ?? 1e-6
            c.tiedEmbeddings = try value("tie_word_embeddings", Bool.self) ?? false
            c.bias = try value("attention_bias", Bool.self) ?? false
            if try value("mlp_bias", Bool.self) == true {
                throw ModelError.unsupportedModel(file: file, detail: "field 'mlp_bias' true is not supported")
            }
            let activation = try value("hidden_act", String.self) ?? "silu"
            guard activation == "silu" else {
                throw ModelError.unsupportedModel(file: file, detail: "field 'hidden_act' is '\(activation)'; only silu is implemented")
            }
            var theta = try value("rope_theta", Float.self)
            var scaling = json["rope_scaling"] as? [String: Any]
            if let parameters = json["rope_parameters"] as? [String: Any] {
                theta = (parameters["rope_theta"] as? NSNumber)?.floatValue ?? theta
                scaling = parameters
            }
            c.ropeTheta = theta ?? 10_000
            if let scaling {
                let kind = (scaling["rope_type"] ?? scaling["type"]) as? String ?? "default"
                switch kind {
                case "default": break
                case "linear": c.ropeScale = (scaling["factor"] as? NSNumber)?.floatValue ?? 1
                default:
                    throw ModelError.unsupportedModel(file: file, detail: "field 'rope_scaling' type '\(kind)' is not supported (default and linear are)")
                }
            }
        default:
            throw ModelError.unsupportedModel(file: file, detail: "field 'model_type' is '\(modelType)'; GPT-2 and LLaMA checkpoints are supported")
        }
        try c.validate()
        return c
    }
}
