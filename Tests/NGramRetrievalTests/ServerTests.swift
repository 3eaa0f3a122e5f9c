import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NGramRetrieval
import Testing
import RetrieveCommands

@Suite struct ServerTests {
    func request(_ port: Int, _ path: String, method: String = "GET", body: Data? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as! HTTPURLResponse).statusCode, object)
    }

    // A hang fails the test; the limit is generous because, in a full parallel run on two
    // cores, tests that wait on subprocesses can hold the cooperative threads for minutes.
    @Test(.timeLimit(.minutes(10)))
    func answersOnLoopbackAndRejectsBadRequests() async throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator())
        var settings = SearchSettings()
        settings.beamCount = 2
        settings.bodyLength = 3
        var server = RetrievalServer(retriever: retriever, host: "127.0.0.1", port: 0, settings: settings)
        server.maximumBodyBytes = 256
        let ready = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { port in ready.continuation.yield(port) } }
        var iterator = ready.stream.makeAsyncIterator()
        let port = await iterator.next()!

        let (healthStatus, health) = try await request(port, "/health")
        #expect(healthStatus == 200 && health["passages"] as? Int == 12)

        // Concurrent searches.
        async let first = request(port, "/search", method: "POST", body: Data(#"{"query": "steam engine", "k": 2}"#.utf8))
        async let second = request(port, "/search", method: "POST", body: Data(#"{"query": "capital of Poland"}"#.utf8))
        let (status, result) = try await first
        #expect(status == 200)
        // The generator is untrained, so the number of passages with a positive score varies;
        // the shape of the answer does not.
        let hits = try #require(result["hits"] as? [[String: Any]])
        #expect(hits.count <= 2)
        #expect(result["query"] as? String == "steam engine")
        #expect(try await second.0 == 200)
        let (oneStatus, one) = try await request(port, "/search", method: "POST", body: Data(#"{"query": "steam engine", "k": 1}"#.utf8))
        #expect(oneStatus == 200 && (one["hits"] as? [[String: Any]])?.count ?? 2 <= 1, "\(one)")

        for body in [#"{"query": "#, #"[1, 2]"#, #"{"k": 3}"#, #"{"query": "x", "k": 0}"#, #"{"query": "x", "k": "3"}"#] {
            let (badStatus, error) = try await request(port, "/search", method: "POST", body: Data(body.utf8))
            #expect(badStatus == 400, "\(body)")
            #expect(error["error"] is String)
        }
        let large = Data(("{\"query\": \"" + String(repeating: "a", count: 1000) + "\"}").utf8)
        #expect(try await request(port, "/search", method: "POST", body: large).0 == 413)
        #expect(try await request(port, "/nothing").0 == 404)
        let (wrongMethod, wrongMethodBody) = try await request(port, "/search")
        #expect(wrongMethod == 405 && wrongMethodBody["error"] as? String == "/search takes POST only")
        #expect(try await request(port, "/health", method: "DELETE").0 == 405)

        task.cancel()   // the service group shuts down gracefully on cancellation
        _ = await task.result
    }

    /// `k` is read as a number: 1 is not `true` (JSONSerialization on Linux reads 1 as a Bool),
    /// and booleans, fractions and strings are rejected with a one-line error.
    @Test func decodesKAsAnIntegerAndRejectsOtherTypes() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator())
        var settings = SearchSettings()
        settings.beamCount = 2
        settings.bodyLength = 3
        let server = RetrievalServer(retriever: retriever, host: "127.0.0.1", port: 0, settings: settings)
        for (k, limit) in [("1", 1), ("3", 3), ("null", 10), ("100", 100)] {
            let (status, object) = server.handleSearch(Data(#"{"query": "steam engine", "k": \#(k)}"#.utf8))
            #expect(status.code == 200, "k = \(k): \(object)")
            let hits = try #require(object["hits"] as? [[String: Any]], "k = \(k)")
            #expect(hits.count <= limit, "k = \(k)")
        }
        let bad: [(String, String)] = [
            (#"{"query": "x", "k": true}"#, "field 'k' must be an integer"),
            (#"{"query": "x", "k": 1.5}"#, "field 'k' must be an integer"),
            (#"{"query": "x", "k": "1"}"#, "field 'k' must be an integer"),
            (#"{"query": "x", "k": 0}"#, "field 'k' must be an integer in 1...100"),
            (#"{"query": "x", "k": 101}"#, "field 'k' must be an integer in 1...100"),
            (#"{"query": "x", "k": 99999999999999999999}"#, "field 'k' must be an integer"),
            (#"{"query": 1}"#, "field 'query' must be a non-empty string"),
            (#"{"query": "  "}"#, "field 'query' must be a non-empty string"),
            (#"{"k": 3}"#, "field 'query' must be a non-empty string"),
            (#"[{"query": "x"}]"#, "body is not a JSON object"),
            (#"{"query": "x""#, "body is not a JSON object"),
            ("", "body is not a JSON object"),
        ]
        for (body, message) in bad {
            let (status, object) = server.handleSearch(Data(body.utf8))
            #expect(status.code == 400, "\(body)")
            let error = try #require(object["error"] as? String, "\(body)")
            #expect(error.hasPrefix(message) && !error.contains("\n"), "\(body): \(error)")
        }
    }
}
