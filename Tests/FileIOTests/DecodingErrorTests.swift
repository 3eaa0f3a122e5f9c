import FileIO
import Foundation
import Testing

/// One-line messages for decoding errors, with the field as a path.
struct DecodingErrorTests {
    struct DecodingSucceeded: Error { var json: String }
    struct Layer: Decodable { var heads: Int }
    struct Model: Decodable {
        var name: String
        var layers: [Layer]
    }

    func error(_ json: String) throws -> DecodingError {
        do {
            _ = try JSONDecoder().decode(Model.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            return error
        }
        throw DecodingSucceeded(json: json)
    }

    @Test func aMissingKeyIsNamed() throws {
        let error = try error(#"{"layers": []}"#)
        #expect(error.oneLineDescription == "missing field 'name'")
        #expect(error.oneLineDescription(file: "model/config.json") == "model/config.json: missing field 'name'")
    }

    @Test func aTypeMismatchNamesTheExpectedType() throws {
        let message = try error(#"{"name": 3, "layers": []}"#).oneLineDescription(file: "m.json")
        #expect(message.hasPrefix("m.json: field 'name': expected String"), "\(message)")
        #expect(message.contains("found"), "\(message)")
        #expect(!message.contains("\n"))
        #expect(!message.contains("CodingKeys"), "\(message)")
    }

    @Test func aNestedFieldIsWrittenAsAPath() throws {
        let mismatch = try error(#"{"name": "m", "layers": [{"heads": 1}, {"heads": 2}, {"heads": "four"}]}"#)
        #expect(mismatch.oneLineDescription.hasPrefix("field 'layers[2].heads': expected Int"), "\(mismatch.oneLineDescription)")
        let missing = try error(#"{"name": "m", "layers": [{"heads": 1}, {}]}"#)
        #expect(missing.oneLineDescription == "missing field 'layers[1].heads'")
        let null = try error(#"{"name": "m", "layers": [{"heads": null}]}"#)
        #expect(null.oneLineDescription == "field 'layers[0].heads': expected Int, found null")
        #expect(DecodingError.pathDescription(missing.context.codingPath) == "layers[1]")
        #expect(DecodingError.pathDescription([]) == "<root>")
    }

    @Test func invalidJSONIsOneLine() throws {
        let message = try error(#"{"name": "m", "layers": [1,"#).oneLineDescription(file: "m.json")
        #expect(message.hasPrefix("m.json: "), "\(message)")
        #expect(!message.contains("\n"), "\(message)")
    }
}
