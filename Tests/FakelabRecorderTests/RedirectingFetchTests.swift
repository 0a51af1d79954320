import AsyncHTTPClient
import FakelabHTTP
import Hummingbird
import NIOCore
import Testing

/// The one redirect-following GET, over real loopback HTTP against a small Hummingbird server.
@Suite struct RedirectingFetchTests {
    static func origin() async throws -> RunningServer {
        let router = Router()
        router.get("/img") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(string: "the image")))
        }
        router.get("/absolute") { request, _ in
            Response(status: .found, headers: [.location: "http://\(request.head.authority ?? "")/img"])
        }
        router.get("/dir/relative") { _, _ in Response(status: .movedPermanently, headers: [.location: "next"]) }  // → /dir/next
        router.get("/dir/next") { _, _ in Response(status: .seeOther, headers: [.location: "/img"]) }
        router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        router.get("/no-location") { _, _ in Response(status: .found) }
        router.get("/big") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 7, count: 4096))) }
        router.get("/echo") { request, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: request.headers[.authorization] ?? "none")))
        }
        router.get("/to-echo") { _, _ in Response(status: .temporaryRedirect, headers: [.location: "/echo"]) }
        return try await RunningServer.launch(host: "127.0.0.1") { onRunning in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) },
                logger: .init(label: "redirect-test-origin")
            )
        }
    }

    /// A fetch through a client of its own, shut down before the server stops.
    static func withFetch(maxBytes: Int = 1024, _ body: (RedirectingFetch, String) async throws -> Void) async throws {
        let server = try await origin()
        do {
            try await HTTPClient.withHTTPClient(configuration: .fakelab(connect: .seconds(5))) { client in
                try await body(RedirectingFetch(client: client, maxRedirects: 3, maxBytes: maxBytes, timeout: .seconds(10)), server.baseURL)
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func absoluteAndRelativeRedirectsAreFollowed() async throws {
        try await Self.withFetch { fetch, base in
            for path in ["/img", "/absolute", "/dir/relative"] {
                let answer = try await fetch.get(base + path)
                #expect(answer.status == 200 && answer.url == base + "/img", "\(path)")
                #expect(answer.header("content-type") == "image/png")
                #expect(try await answer.body() == Array("the image".utf8))
            }
        }
    }

    @Test func tooManyRedirectsIsItsOwnProblem() async throws {
        try await Self.withFetch { fetch, base in
            let problem = await #expect(throws: RedirectingFetch.Problem.tooManyRedirects) { _ = try await fetch.get(base + "/loop") }
            #expect(problem?.description == "more than 3 redirects")
            #expect(RedirectingFetch.Problem.tooManyRedirects != .tooLarge)
        }
    }

    @Test func aBodyOverTheLimitIsTooLarge() async throws {
        try await Self.withFetch(maxBytes: 1024) { fetch, base in
            let answer = try await fetch.get(base + "/big")
            #expect(answer.status == 200)
            let problem = await #expect(throws: RedirectingFetch.Problem.tooLarge) { _ = try await answer.body() }
            #expect(problem?.description == "the answer from \(base)/big is larger than 1024 bytes")
        }
    }

    @Test func aRedirectWithoutLocationIsTheAnswer() async throws {
        try await Self.withFetch { fetch, base in
            let answer = try await fetch.get(base + "/no-location")
            #expect(answer.status == 302 && answer.url == base + "/no-location")
        }
    }

    @Test func eachHopIsPreparedOnItsOwn() async throws {
        try await Self.withFetch { fetch, base in
            var hops: [String] = []
            let answer = try await fetch.get(base + "/to-echo") { hop in
                hops.append(hop)
                return hop.hasSuffix("/echo") ? [("Authorization", "Bearer only-here")] : []
            }
            #expect(hops == [base + "/to-echo", base + "/echo"])
            #expect(try await answer.body() == Array("Bearer only-here".utf8))
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                _ = try await fetch.get(base + "/to-echo") { hop in
                    if hop.hasSuffix("/echo") { throw Refused() }
                    return []
                }
            }
        }
    }
}
