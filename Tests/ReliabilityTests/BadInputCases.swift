import Foundation

// The rows of the bad-input matrix, one enum per tool. `S/` is the case's scratch folder
// (holding the files of `BadInputFixtures.writeSmallFiles`), `A/` the shipped assets.

typealias Case = BadInputMatrixTests.Case

enum IconCases {
    static let all: [Case] = [
        Case(tool: "icons", name: "render empty file", arguments: ["render", "S/empty.svg", "-o", "S/out.png"], expected: "empty.svg"),
        Case(tool: "icons", name: "render missing file", arguments: ["render", "S/absent.svg", "-o", "S/out.png"], expected: "absent.svg"),
        Case(tool: "icons", name: "render folder", arguments: ["render", "S/folder", "-o", "S/out.png"], expected: "folder"),
        Case(tool: "icons", name: "render non-UTF-8", arguments: ["render", "S/binary.svg", "-o", "S/out.png"], expected: "binary.svg"),
        Case(tool: "icons", name: "render nothing drawable", arguments: ["render", "S/blank.svg", "-o", "S/out.png"], expected: "blank.svg"),
        Case(tool: "icons", name: "render 100 MB line", arguments: ["render", "S/long.svg", "-o", "S/out.png"], expected: "long.svg",
             prepare: { try BadInputFixtures.writeLongLine(to: $0.appendingPathComponent("long.svg"), prefix: "<svg xmlns=\"http://www.w3.org/2000/svg\"><desc>") }),
        Case(tool: "icons", name: "render zero size", arguments: ["render", "A/../Fuzz/corpus/svg/heart.svg", "--size", "0", "-o", "S/out.png"], expected: "--size"),
        Case(tool: "icons", name: "generate truncated checkpoint", arguments: ["generate", "cat", "--model", "S/model", "--count", "1", "--out", "S/out"],
             expected: "model.safetensors", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .truncate("model.safetensors")) }),
        Case(tool: "icons", name: "generate wrong shapes", arguments: ["generate", "cat", "--model", "S/model", "--count", "1", "--out", "S/out"],
             expected: "shape", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .edit(file: "config.json", key: "hiddenSize", value: "64")) }),
        Case(tool: "icons", name: "generate other model type", arguments: ["generate", "cat", "--model", "A/retrieve/generator", "--count", "1", "--out", "S/out"],
             expected: "generator"),
        Case(tool: "icons", name: "generate missing model", arguments: ["generate", "cat", "--model", "S/absent", "--count", "1", "--out", "S/out"], expected: "absent"),
        Case(tool: "icons", name: "generate negative count", arguments: ["generate", "cat", "--model", "A/icons", "--count=-3", "--out", "S/out"], expected: "--count"),
        Case(tool: "icons", name: "generate temperature 0", arguments: ["generate", "cat", "--model", "A/icons", "--temperature", "0", "--out", "S/out"], expected: "--temperature"),
        Case(tool: "icons", name: "dataset of an empty folder", arguments: ["dataset", "build", "S/empty-folder", "-o", "S/data.json"], expected: "empty-folder"),
        Case(tool: "icons", name: "train on empty dataset file", arguments: ["train", "--data", "S/empty.json", "--out", "S/run", "--steps", "2"], expected: "empty.json"),
        Case(tool: "icons", name: "train on non-UTF-8 dataset", arguments: ["train", "--data", "S/binary.txt", "--out", "S/run", "--steps", "2"], expected: "binary.txt"),
        Case(tool: "icons", name: "train negative steps", arguments: ["train", "--data", "S/empty.json", "--out", "S/run", "--steps=-5"], expected: "--steps"),
        Case(tool: "icons", name: "render 16,000 nested groups", arguments: ["render", "S/deep.svg", "-o", "S/out.png"], expected: "deep.svg",
             prepare: { try BadInputFixtures.writeHostileSVG("deep.svg", into: $0) }),
        Case(tool: "icons", name: "edit 16,000 nested groups", arguments: ["edit", "S/deep.svg", "--path", "0", "--model", "A/icons", "--out", "S/out"],
             expected: "deep.svg: malformed SVG: line 1: elements nested deeper than 256", prepare: { try BadInputFixtures.writeHostileSVG("deep.svg", into: $0) }),
        Case(tool: "icons", name: "complete an entity bomb", arguments: ["complete", "S/bomb.svg", "--model", "A/icons", "--out", "S/out"],
             expected: "entity expansion exceeds", prepare: { try BadInputFixtures.writeHostileSVG("bomb.svg", into: $0) }),
        Case(tool: "icons", name: "edit an external entity", arguments: ["edit", "S/external.svg", "--path", "0", "--model", "A/icons", "--out", "S/out"],
             expected: "external entity &x; is not loaded", prepare: { try BadInputFixtures.writeHostileSVG("external.svg", into: $0) }),
        Case(tool: "icons", name: "edit overflowing coordinates", arguments: ["edit", "S/overflow.svg", "--path", "0", "--model", "A/icons", "--out", "S/out"],
             expected: "coordinates overflow", prepare: { try BadInputFixtures.writeHostileSVG("overflow.svg", into: $0) }),
        Case(tool: "icons", name: "edit an infinite radius", arguments: ["edit", "S/infinite-radius.svg", "--path", "0", "--model", "A/icons", "--out", "S/out"],
             expected: "r=\"inf\" is not a number", prepare: { try BadInputFixtures.writeHostileSVG("infinite-radius.svg", into: $0) }),
        Case(tool: "icons", name: "generate a billion icons", arguments: ["generate", "cat", "--model", "A/icons", "--count", "1000000000", "--out", "S/out"],
             expected: "--count must be in 1...1000"),
        Case(tool: "icons", name: "interpolate a billion steps", arguments: ["interpolate", "cat", "dog", "--model", "A/icons", "--steps", "1000000000", "--out", "S/out"],
             expected: "--steps must be in 2...1000"),
        Case(tool: "icons", name: "train a billion sequences per step", arguments: ["train", "--data", "S/empty.json", "--out", "S/run", "--batch-size", "1000000000"],
             expected: "--batch-size must be in 1...4096"),
        Case(tool: "icons", name: "eval a billion samples", arguments: ["eval", "--data", "S/empty.json", "--samples", "1000000000"], expected: "--samples"),
    ]
}

enum ForecastCases {
    static let model = "A/forecast"
    static func predict(_ input: String, _ extra: [String] = []) -> [String] {
        ["predict", "--input", input, "--model", model, "--horizon", "4", "-o", "S/forecast.csv"] + extra
    }
    static let all: [Case] = [
        Case(tool: "forecast", name: "predict empty CSV", arguments: predict("S/empty.csv"), expected: "empty.csv"),
        Case(tool: "forecast", name: "predict missing CSV", arguments: predict("S/absent.csv"), expected: "absent.csv"),
        Case(tool: "forecast", name: "predict folder as CSV", arguments: predict("S/folder"), expected: "folder"),
        Case(tool: "forecast", name: "predict non-UTF-8 CSV", arguments: predict("S/binary.csv"), expected: "binary.csv"),
        Case(tool: "forecast", name: "predict infinity cell", arguments: predict("S/infinity.csv"), expected: "inf"),
        Case(tool: "forecast", name: "predict NaN column", arguments: predict("S/nan-column.csv"), expected: "no numeric column"),
        Case(tool: "forecast", name: "predict text cell", arguments: predict("S/text-cell.csv"), expected: "twelve"),
        Case(tool: "forecast", name: "predict 100 MB line", arguments: predict("S/long.csv"), expected: "long.csv",
             prepare: { try BadInputFixtures.writeLongLine(to: $0.appendingPathComponent("long.csv")) }),
        Case(tool: "forecast", name: "predict zero horizon", arguments: ["predict", "--input", "S/text-cell.csv", "--model", model, "--horizon", "0"], expected: "--horizon"),
        Case(tool: "forecast", name: "predict negative samples", arguments: predict("S/infinity.csv", ["--samples=-2"]), expected: "--samples"),
        Case(tool: "forecast", name: "predict truncated checkpoint", arguments: ["predict", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "--model", "S/model", "--horizon", "4", "-o", "S/forecast.csv"],
             expected: "model.safetensors", prepare: { try BadInputFixtures.damage("forecast", as: "model", in: $0, .truncate("model.safetensors")) }),
        Case(tool: "forecast", name: "predict wrong shapes", arguments: ["predict", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "--model", "S/model", "--horizon", "4", "-o", "S/forecast.csv"],
             expected: "shape", prepare: { try BadInputFixtures.damage("forecast", as: "model", in: $0, .edit(file: "forecaster.json", key: "hiddenSize", value: "32")) }),
        Case(tool: "forecast", name: "predict other model type", arguments: ["predict", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "--model", "A/icons", "--horizon", "4", "-o", "S/forecast.csv"],
             expected: "icons"),
        Case(tool: "forecast", name: "train negative steps", arguments: ["train", "--input", "S/infinity.csv", "-o", "S/run", "--steps=-1"], expected: "--steps"),
        Case(tool: "forecast", name: "train empty CSV", arguments: ["train", "--input", "S/empty.csv", "-o", "S/run", "--steps", "2"], expected: "empty.csv"),
        Case(tool: "forecast", name: "predict two billion points", arguments: ["predict", "--input", "S/text-cell.csv", "--model", model, "--horizon", "2000000000"],
             expected: "--horizon must be in 1...10000"),
        Case(tool: "forecast", name: "predict two billion ensemble rolls", arguments: predict("S/infinity.csv", ["--band", "ensemble", "--samples", "2000000000"]),
             expected: "--samples must be in 0...1000"),
        Case(tool: "forecast", name: "eval two billion points of lookback", arguments: ["eval", "--input", "S/infinity.csv", "--baselines", "--lookback", "2000000000"],
             expected: "--lookback"),
        Case(tool: "forecast", name: "predict unknown delimiter", arguments: predict("S/infinity.csv", ["--delimiter", "x"]), expected: "--delimiter"),
        Case(tool: "forecast", name: "predict plot into a missing folder",
             arguments: ["predict", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "--model", model, "--horizon", "4", "-o", "S/forecast.csv", "--plot", "S/absent/plot.png"],
             expected: "plot.png"),
        Case(tool: "forecast", name: "train a billion-wide model", arguments: ["train", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "-o", "S/run", "--width", "1000000000", "--steps", "2"],
             expected: "hiddenSize: must be at most"),
        Case(tool: "forecast", name: "train two-billion-point segments", arguments: ["train", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "-o", "S/run", "--segment", "2000000000", "--steps", "2"],
             expected: "segmentLength"),
        Case(tool: "forecast", name: "predict into a folder", arguments: ["predict", "--input", "A/../Fuzz/corpus/csv/hourly.csv", "--model", model, "--horizon", "4", "-o", "S/folder"],
             expected: "folder"),
    ]
}

enum ImageCases {
    static func generate(_ extra: [String]) -> [String] {
        ["generate", "--tokenizer", "A/images/tokenizer.safetensors", "--model", "A/images/generator.safetensors", "--count", "2", "-o", "S/grid.png"] + extra
    }
    static let all: [Case] = [
        Case(tool: "images", name: "generate truncated checkpoint",
             arguments: ["generate", "--tokenizer", "A/images/tokenizer.safetensors", "--model", "S/generator.safetensors", "--count", "2", "-o", "S/grid.png"],
             expected: "generator.safetensors", prepare: { try BadInputFixtures.damage("images/generator.safetensors", as: "generator.safetensors", in: $0, .truncate("")) }),
        Case(tool: "images", name: "generate other model type",
             arguments: ["generate", "--tokenizer", "A/images/tokenizer.safetensors", "--model", "A/images/classifier.safetensors", "--count", "2", "-o", "S/grid.png"],
             expected: "classifier.safetensors"),
        Case(tool: "images", name: "generate tokenizer is a folder",
             arguments: ["generate", "--tokenizer", "S/folder", "--model", "A/images/generator.safetensors", "--count", "2", "-o", "S/grid.png"], expected: "folder"),
        Case(tool: "images", name: "generate empty model file",
             arguments: ["generate", "--tokenizer", "A/images/tokenizer.safetensors", "--model", "S/empty.safetensors", "--count", "2", "-o", "S/grid.png"], expected: "empty.safetensors"),
        Case(tool: "images", name: "generate missing model",
             arguments: ["generate", "--tokenizer", "A/images/tokenizer.safetensors", "--model", "S/absent.safetensors", "--count", "2", "-o", "S/grid.png"], expected: "absent.safetensors"),
        Case(tool: "images", name: "generate negative count", arguments: generate(["--count=-1"]), expected: "--count"),
        Case(tool: "images", name: "generate temperature 0", arguments: generate(["--temperature", "0"]), expected: "temperature"),
        Case(tool: "images", name: "generate class out of range", arguments: generate(["--class", "10"]), expected: "--class"),
        Case(tool: "images", name: "train on an empty folder",
             arguments: ["train", "--data", "S/empty-folder", "--tokenizer", "A/images/tokenizer.safetensors", "--steps", "2", "--warmup", "0", "-o", "S/generator.safetensors"], expected: "empty-folder"),
        Case(tool: "images", name: "train on damaged IDX",
             arguments: ["train", "--data", "S/idx", "--tokenizer", "A/images/tokenizer.safetensors", "--steps", "2", "--warmup", "0", "-o", "S/generator.safetensors"], expected: "idx",
             prepare: { scratch in
                 let folder = scratch.appendingPathComponent("idx")
                 try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                 for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
                     try Data([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]).write(to: folder.appendingPathComponent(name))
                 }
             }),
        Case(tool: "images", name: "generate a billion images", arguments: generate(["--count", "1000000000"]), expected: "--count must be in 1...10000"),
        Case(tool: "images", name: "generate two billion columns", arguments: generate(["--columns", "2000000000"]), expected: "--columns"),
        Case(tool: "images", name: "generate --each names a file", arguments: generate(["--each", "S/empty.txt"]), expected: "empty.txt"),
        Case(tool: "images", name: "train a billion examples per step",
             arguments: ["train", "--data", "S/empty-folder", "--tokenizer", "A/images/tokenizer.safetensors", "--steps", "2", "--warmup", "0", "--batch-size", "1000000000",
                         "-o", "S/generator.safetensors"], expected: "--batch-size must be in 1...4096"),
        Case(tool: "images", name: "train a tokenizer with two billion latent channels",
             arguments: ["tokenizer", "train", "--data", "A/../Examples/data/mnist", "--steps", "2", "--warmup", "0", "--latent-channels", "2000000000",
                         "-o", "S/tokenizer.safetensors"], expected: "latentChannels: must be in 1...4096"),
        Case(tool: "images", name: "train negative steps",
             arguments: ["train", "--data", "S/empty-folder", "--tokenizer", "A/images/tokenizer.safetensors", "--steps=-2", "-o", "S/generator.safetensors"], expected: "--steps"),
    ]
}

enum RetrieveCases {
    static let all: [Case] = [
        Case(tool: "retrieve", name: "index empty corpus", arguments: ["index", "build", "S/empty.jsonl", "-o", "S/index"], expected: "empty.jsonl"),
        Case(tool: "retrieve", name: "index missing corpus", arguments: ["index", "build", "S/absent.jsonl", "-o", "S/index"], expected: "absent.jsonl"),
        Case(tool: "retrieve", name: "index non-UTF-8 corpus", arguments: ["index", "build", "S/binary.jsonl", "-o", "S/index"], expected: "binary.jsonl"),
        Case(tool: "retrieve", name: "index empty folder corpus", arguments: ["index", "build", "S/empty-folder", "-o", "S/index"], expected: "empty-folder"),
        Case(tool: "retrieve", name: "index 100 MB line", arguments: ["index", "build", "S/long.jsonl", "-o", "S/index"], expected: "long.jsonl",
             prepare: { try BadInputFixtures.writeLongLine(to: $0.appendingPathComponent("long.jsonl"), prefix: "{\"_id\": \"p\", \"text\": \"") }),
        Case(tool: "retrieve", name: "index zero sample rate", arguments: ["index", "build", "A/../Fuzz/corpus/jsonl/dpr.tsv", "-o", "S/index", "--sample-rate", "0"], expected: "--sample-rate"),
        Case(tool: "retrieve", name: "query index of another format version", arguments: ["query", "--index", "S/index", "who"], expected: "version",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .patch(file: "corpus.fmi", offset: 8, bytes: [9, 0, 0, 0])) }),
        Case(tool: "retrieve", name: "query manifest of another format version", arguments: ["query", "--index", "S/index", "who"], expected: "format version 7",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .edit(file: "manifest.json", key: "formatVersion", value: "7")) }),
        Case(tool: "retrieve", name: "query truncated index", arguments: ["query", "--index", "S/index", "who"], expected: "corpus.fmi",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .truncate("corpus.fmi")) }),
        Case(tool: "retrieve", name: "query truncated generator", arguments: ["query", "--index", "S/index", "who"], expected: "model.safetensors",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .truncate("generator/model.safetensors")) }),
        Case(tool: "retrieve", name: "query generator with wrong shapes", arguments: ["query", "--index", "S/index", "who"], expected: "shape",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .edit(file: "generator/config.json", key: "hiddenSize", value: "32")) }),
        Case(tool: "retrieve", name: "query a file as index", arguments: ["query", "--index", "S/empty.json", "who"], expected: "empty.json"),
        Case(tool: "retrieve", name: "query negative k", arguments: ["query", "--index", "A/retrieve", "who", "-k=-1"], expected: "-k"),
        Case(tool: "retrieve", name: "query zero beams", arguments: ["query", "--index", "A/retrieve", "who", "--beams", "0"], expected: "beam"),
        Case(tool: "retrieve", name: "train negative steps", arguments: ["train", "--index", "S/index", "--steps=-3"], expected: "steps",
             prepare: { try FileManager.default.createDirectory(at: $0.appendingPathComponent("index"), withIntermediateDirectories: true) }),
        Case(tool: "retrieve", name: "train negative checkpoint interval", arguments: ["train", "--index", "S/index", "--checkpoint-every=-2"],
             expected: "--checkpoint-every",
             prepare: { try FileManager.default.createDirectory(at: $0.appendingPathComponent("index"), withIntermediateDirectories: true) }),
        Case(tool: "retrieve", name: "query with a misspelt search.json setting", arguments: ["query", "--index", "S/index", "who"],
             expected: "search.json:1: unknown setting 'beamcount'",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .edit(file: "generator/search.json", key: "beamcount", value: "5")) }),
        Case(tool: "retrieve", name: "query with a mistyped search.json setting", arguments: ["query", "--index", "S/index", "who"],
             expected: "'beamCount' must be an integer",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .edit(file: "generator/search.json", key: "beamCount", value: "ten")) }),
        Case(tool: "retrieve", name: "query with search.json beams out of range", arguments: ["query", "--index", "S/index", "who"],
             expected: "search.json:1: beamCount: must be in 1...100, got 0",
             prepare: { try BadInputFixtures.damage("retrieve", as: "index", in: $0, .edit(file: "generator/search.json", key: "beamCount", value: "0")) }),
        Case(tool: "retrieve", name: "query zero alpha", arguments: ["query", "--index", "A/retrieve", "who", "--alpha", "0"], expected: "--alpha"),
        Case(tool: "retrieve", name: "eval negative fusion weight", arguments: ["eval", "--index", "A/retrieve", "--queries", "S/empty.jsonl", "--fuse-weight=-2"],
             expected: "--fuse-weight"),
        Case(tool: "retrieve", name: "serve on port -1", arguments: ["serve", "--index", "A/retrieve", "--port=-1"], expected: "--port"),
        Case(tool: "retrieve", name: "train a billion examples per step", arguments: ["train", "--index", "S/index", "--batch-size", "1000000000"],
             expected: "--batch-size",
             prepare: { try FileManager.default.createDirectory(at: $0.appendingPathComponent("index"), withIntermediateDirectories: true) }),
        Case(tool: "retrieve", name: "index into an existing file", arguments: ["index", "build", "A/../Fuzz/corpus/jsonl/dpr.tsv", "-o", "S/empty.txt"],
             expected: "empty.txt"),
    ]
}

enum LanguageModelCases {
    static let all: [Case] = [
        Case(tool: "nexttoken", name: "train on empty text", arguments: ["lm", "train", "--text", "S/empty.txt", "-o", "S/run", "--steps", "2"], expected: "empty.txt"),
        Case(tool: "nexttoken", name: "train on non-UTF-8 text", arguments: ["lm", "train", "--text", "S/binary.txt", "-o", "S/run", "--steps", "2"], expected: "binary.txt"),
        Case(tool: "nexttoken", name: "generate from a model folder without config", arguments: ["lm", "generate", "--model", "A/images", "--ids", "1"], expected: "images"),
        Case(tool: "nexttoken", name: "generate from a checkpoint with more layers in its config", arguments: ["lm", "generate", "--model", "S/model", "--ids", "1"],
             // 12 layers: more than the shipped icons model has, whatever its size.
             expected: "missing tensor 'blocks.", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .edit(file: "config.json", key: "layerCount", value: "12")) }),
        Case(tool: "nexttoken", name: "generate from a checkpoint with fewer layers in its config", arguments: ["lm", "generate", "--model", "S/model", "--ids", "1"],
             expected: "has layerCount 1, but the weights hold", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .edit(file: "config.json", key: "layerCount", value: "1")) }),
        Case(tool: "nexttoken", name: "generate from a checkpoint with the wrong shapes", arguments: ["lm", "generate", "--model", "S/model", "--ids", "1"],
             expected: "shape", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .edit(file: "config.json", key: "vocabularySize", value: "3000")) }),
        Case(tool: "nexttoken", name: "generate from a config declaring an absurd vocabulary", arguments: ["lm", "generate", "--model", "S/model", "--ids", "1"],
             expected: "vocabularySize", prepare: { try BadInputFixtures.damage("icons", as: "model", in: $0, .edit(file: "config.json", key: "vocabularySize", value: "1000000000000")) }),
        Case(tool: "nexttoken", name: "generate from a non-UTF-8 config", arguments: ["lm", "generate", "--model", "S/model", "--ids", "1"],
             expected: "config.json", prepare: { scratch in
                 let model = try BadInputFixtures.damage("icons", as: "model", in: scratch, .truncate("model.safetensors"))
                 try BadInputFixtures.notUTF8.write(to: URL(fileURLWithPath: model).appendingPathComponent("config.json"))
             }),
        Case(tool: "nexttoken", name: "train a billion-wide model", arguments: ["lm", "train", "--text", "A/../README.md", "-o", "S/run", "--hidden-size", "1000000000", "--steps", "2"],
             expected: "hiddenSize: must be at most"),
        Case(tool: "nexttoken", name: "train a model larger than memory",
             arguments: ["lm", "train", "--text", "A/../README.md", "-o", "S/run", "--hidden-size", "65536", "--layers", "64", "--steps", "2"],
             expected: "exceed this machine's"),
        Case(tool: "nexttoken", name: "train a two-billion-token vocabulary", arguments: ["lm", "train", "--text", "A/../README.md", "-o", "S/run", "--tokenizer", "bpe", "--vocabulary-size", "2000000000", "--steps", "2"],
             expected: "--vocabulary-size"),
        Case(tool: "nexttoken", name: "generate negative max tokens", arguments: ["lm", "generate", "--model", "A/icons", "--ids", "1", "--max-new-tokens=-2"], expected: "--max-new-tokens"),
    ]
}
