import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import FakelabServer
import NIOCore
import Testing

@testable import FakelabCLI

/// `fakelab verdict`'s reads against a real fake in this process.
@Suite("fakelab verdict against a fake")
struct VerdictLiveTests {
    static let key = "sk-careless-live-1234"

    static func withFake(_ body: (String) async throws -> Void) async throws {
        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        let server = try await FakelabApp.start(config)
        do { try await body(server.baseURL) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The same unsupported request twice: a 400 retried.
    static func carelessTraffic(_ base: String) async throws {
        for _ in 0..<2 {
            var request = HTTPClientRequest(url: base + "/v1/images/generations")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"model": "gpt-image-2", "prompt": "a cup", "style": "vivid"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
        }
    }

    @Test("a careless client's key: MUST findings with labelled evidence, never the key")
    func careless() async throws {
        try await Self.withFake { base in
            try await Self.carelessTraffic(base)
            let client = VerdictClient(VerdictRequest(baseURL: base, key: Self.key, since: nil, controlToken: nil))
            let verdict = try VerdictTable.Verdict(json: try await client.verdict().value)
            #expect(verdict.hasMust)
            #expect(verdict.findings.map(\.finding).contains("retried_non_retryable"))
            let journal = try await client.journal()
            await client.shutdown()
            let text = VerdictTable(verdict: verdict, journal: journal, key: Self.key, url: base).render()
            #expect(text.contains("#1  POST /v1/images/generations → 400"))
            #expect(text.contains("#2  POST /v1/images/generations → 400"))
            #expect(!text.contains(Self.key))
        }
    }

    @Test("a 4xx from the fake is reported with its envelope's code and message")
    func refused() async throws {
        try await Self.withFake { base in
            let client = VerdictClient(VerdictRequest(baseURL: base, key: Self.key, since: nil, controlToken: nil))
            await #expect(throws: VerdictError.answered) { _ = try await client.get("/__fakelab/journal/999") }
            do throws(VerdictError) { _ = try await client.get("/__fakelab/journal/999") } catch {
                #expect(error.description.hasPrefix("the fake at \(base) answered 400 invalid_value to GET /__fakelab/journal/999: seq:"))
            }
            await client.shutdown()
        }
    }

    @Test("an unreachable fake is named in the error")
    func unreachable() async {
        let client = VerdictClient(VerdictRequest(baseURL: "http://127.0.0.1:9", key: Self.key, since: nil, controlToken: nil))
        do throws(VerdictError) {
            _ = try await client.verdict()
            Issue.record("port 9 answered")
        } catch {
            #expect(error == .unreachable)
            #expect(error.description.hasPrefix("cannot reach the fake at http://127.0.0.1:9 ("))
            #expect(!error.description.contains(Self.key))
        }
        await client.shutdown()
    }
}
