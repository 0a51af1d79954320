import FakelabHTTP
import Hummingbird
import Logging

/// Benchmarks/run: the floor the stack sets. A bare Hummingbird 2 application on the same
/// settings as `fakelab serve` (default event loops, global executor, its log handler), answering `GET /health`
/// with the same 15 bytes and `POST /v1/images/generations` by reading the body and returning
/// a fixed answer of the fake's size, with no parsing, validation or journal. The fake's routes
/// over these rows are what Fakelab's own code costs.
///
///   usage: fakelab-floor-bench PORT
@main
struct HummingbirdFloor {
    static let health = ByteBuffer(string: #"{"status":"ok"}"#)
    /// 163 bytes, as the fake's answer to the benchmark's request.
    static let answer = ByteBuffer(
        string: #"{"billing_transaction_id":"cjz50z92t9dp3sg9s6n7bfnhv","created":1796136653,"#
            + #""data":[{"url":"http://127.0.0.1:18430/fakelab/images/1024x1024-d6fa12959d3b886f.png"}]}"#
    )

    static func main() async throws {
        guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]) else {
            print("usage: fakelab-floor-bench PORT")
            return
        }
        DeferredStreamLogHandler.bootstrap()
        var logger = Logger(label: "fakelab-floor-bench")
        logger.logLevel = .warning
        let router = Router()
        router.get("/health") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: health)) }
        router.post("/v1/images/generations") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: answer))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await app.runService()
    }
}
