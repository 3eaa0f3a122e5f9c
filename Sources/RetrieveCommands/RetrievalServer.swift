import Foundation
import Hummingbird
import NGramRetrieval

/// The HTTP JSON API of `retrieve serve`, on Hummingbird 2.
///
/// - `GET /health` -> `{"status": "ok", "passages": N}`
/// - `POST /search` with `{"query": "...", "k": 10}` -> `{"query", "hits": [...], "seconds"}`;
///   400 with `{"error": "..."}` for malformed JSON or fields, 413 above ``maximumBodyBytes``.
///
/// ```swift
/// let server = RetrievalServer(retriever: retriever, host: "127.0.0.1", port: 8080)
/// try await server.run()   // until SIGINT or SIGTERM, then finishes in-flight requests
/// ```
public struct RetrievalServer: Sendable {
    /// Largest accepted request body. Default 64 KiB.
    public var maximumBodyBytes = 64 * 1024
    /// Largest `k` a request may ask for. Default 100.
    public var maximumK = 100
    /// Dense retrieval to answer with instead of SEAL (`retrieve serve --dense`/`--hybrid`).
    public var dense: DenseRetrieval?
    /// With ``dense``: the dense weight of a hybrid search; nil for dense alone.
    public var hybridWeight: Double?
    let retriever: Retriever
    let host: String
    let port: Int
    let settings: SearchSettings

    public init(retriever: Retriever, host: String, port: Int, settings: SearchSettings = SearchSettings()) {
        self.retriever = retriever
        self.host = host
        self.port = port
        self.settings = settings
    }

    /// Serves until SIGINT/SIGTERM (graceful: in-flight requests complete).
    /// - Parameter onRunning: called with the bound port once the server listens.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        let limit = maximumBodyBytes
        router.get("health") { _, _ in
            Self.json(.ok, ["status": "ok", "passages": retriever.index.passages.count])
        }
        router.post("search") { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                return Self.json(.contentTooLarge, ["error": "request body larger than \(limit) bytes"])
            }
            let (status, object) = handleSearch(Data(buffer: body))
            return Self.json(status, object)
        }
        // Known paths with the wrong method: 405 naming the allowed one (404 is for unknown paths).
        for (path, allowed) in [("health", HTTPRequest.Method.get), ("search", .post)] {
            for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] where method != allowed {
                router.on(RouterPath(path), method: method) { _, _ in
                    var response = Self.json(.methodNotAllowed, ["error": "/\(path) takes \(allowed.rawValue) only"])
                    response.headers[.allow] = allowed.rawValue
                    return response
                }
            }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "retrieve"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The search endpoint without HTTP: status and JSON object for a request body.
    public func handleSearch(_ body: Data) -> (HTTPResponse.Status, [String: Any]) {
        let request: SearchRequest
        do {
            request = try JSONDecoder().decode(SearchRequest.self, from: body)
        } catch let error as SearchRequest.Invalid {
            return (.badRequest, ["error": error.message])
        } catch {
            return (.badRequest, ["error": "body is not a JSON object"])
        }
        let k = request.k ?? 10
        guard (1...maximumK).contains(k) else {
            return (.badRequest, ["error": "field 'k' must be an integer in 1...\(maximumK)"])
        }
        let query = request.query
        let start = Date()
        do {
            let hits = try dense.map { try $0.search(query, limit: k, hybridWeight: hybridWeight, retriever: retriever, settings: settings) }
                ?? retriever.search(query, limit: k, settings: settings)
            return (.ok, ["query": query, "seconds": Date().timeIntervalSince(start), "hits": hits.map(SearchHitJSON.object)])
        } catch {
            return (.internalServerError, ["error": "\(error)"])
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The body of `POST /search`: `{"query": "...", "k": 10}` (`k` optional). Decoded with
/// `JSONDecoder`, which keeps numbers and booleans apart (`JSONSerialization` on Linux reads
/// `1` as `true`); each wrong field throws ``Invalid`` with the message the client gets.
struct SearchRequest: Decodable {
    /// A request the server answers with 400 and `message`.
    struct Invalid: Error {
        let message: String
    }

    enum CodingKeys: String, CodingKey {
        case query, k
    }

    let query: String
    let k: Int?

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw Invalid(message: "body is not a JSON object")
        }
        guard let query = try? container.decode(String.self, forKey: .query),
              !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Invalid(message: "field 'query' must be a non-empty string")
        }
        self.query = query
        do {
            k = try container.decodeIfPresent(Int.self, forKey: .k)
        } catch {
            throw Invalid(message: "field 'k' must be an integer")
        }
    }
}

/// `retrieve serve --index DIR --port P`
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve POST /search and GET /health as a JSON API until SIGINT/SIGTERM.")

    @OptionGroup var location: IndexLocation
    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on.")
    var port = 8080
    @Option(name: .long, help: "Largest request body in bytes.")
    var maximumBodyBytes = 64 * 1024
    @OptionGroup var search: SearchOptions
    @OptionGroup var denseOptions: DenseOptions

    func validate() throws {
        guard denseOptions.denseWeight.count <= 1 else { throw ValidationError("serve takes one --dense-weight") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maximumBodyBytes >= 64 else { throw ValidationError("--maximum-body-bytes must be >= 64") }
    }

    func run() async throws {
        let retriever = try search.loadRetriever(try location.resolved())
        var server = RetrievalServer(retriever: retriever, host: host, port: port, settings: try search.settings(over: retriever.defaultSettings))
        server.maximumBodyBytes = maximumBodyBytes
        server.dense = try denseOptions.load(index: retriever.index)
        server.hybridWeight = denseOptions.hybridWeight
        try await server.run { port in printError("listening on http://\(host):\(port) (POST /search, GET /health)") }
        printError("shut down")
    }
}

import ArgumentParser
