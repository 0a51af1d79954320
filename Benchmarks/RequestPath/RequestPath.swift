import FakelabHTTP
import FakelabServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Benchmarks/run: the fake's request path without the network. Requests go through the
/// router in-process (HummingbirdTesting's `.router` mode: no sockets, no HTTP parsing, one
/// task), one at a time, so the figures are CPU per request with none of wrk's or the event
/// loops' share, and the stages read as differences between routes.
///
///   usage: fakelab-path-bench [REQUESTS]
@main
struct RequestPath {
    static func main() async throws {
        DeferredStreamLogHandler.bootstrap()
        let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
        var configuration = try ServerConfiguration()
        configuration.rateLimitPerMinute = 0
        configuration.logLevel = .warning
        let app = Application(router: FakelabApp.router(configuration))
        let auth: HTTPFields = [.authorization: "Bearer sk-path-bench-000000001", .contentType: "application/json"]
        let body = #"{"model":"gpt-image-2","prompt":"benchmark","size":"1024x1024"}"#
        // (row, method, path, JSON body, sent with the key)
        let cases: [(String, HTTPRequest.Method, String, String?, Bool)] = [
            ("GET /health (outer middlewares)", .get, "/health", nil, false),
            ("GET /v1/models (list, 23 KB)", .get, "/v1/models", nil, false),
            ("GET /v1/models/gpt-image-2 (detail)", .get, "/v1/models/gpt-image-2", nil, false),
            ("POST generations, 401 (no key)", .post, "/v1/images/generations", nil, false),
            (
                "POST generations, 400 (validation)", .post, "/v1/images/generations",
                #"{"model":"gpt-image-2","prompt":"benchmark","size":"1000x1000"}"#, true
            ),
            ("POST generations, url 1024x1024", .post, "/v1/images/generations", body, true),
        ]
        try await app.test(.router) { client in
            var results: [(String, Double)] = []
            let only = ProcessInfo.processInfo.environment["PATH_BENCH_ONLY"]
            for (name, method, path, json, keyed) in cases where only.map(name.contains) ?? true {
                let headers: HTTPFields = keyed ? auth : [.contentType: "application/json"]
                func once() async throws {
                    _ = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
                }
                for _ in 0..<min(2_000, count) { try await once() }
                let clock = ContinuousClock()
                var best = Duration.seconds(1000)
                for _ in 0..<3 {
                    let started = clock.now
                    for _ in 0..<count { try await once() }
                    best = min(best, clock.now - started)
                }
                let micros = Double(best.components.seconds) * 1e6 + Double(best.components.attoseconds) / 1e12
                results.append((name, micros / Double(count)))
            }
            for (name, us) in results { print(name.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: "%8.2f µs", us)) }
        }
    }
}
