import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import FakelabImaging
import FakelabServer
import Foundation
import Hummingbird
import NIOCore
import Testing

/// `--allow-fetch`: references are downloaded, with every rule re-checked on every hop.
@Suite(.serialized) struct AllowFetchTests {
    /// A local image host for the fake to fetch from.
    static func imageHost() async throws -> RunningServer {
        let router = Router()
        let png = DerivedImageTests.solid(48, 40, (200, 30, 30))
        router.get("/img.png") { _, _ in Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/img.png"]) }
        router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        router.get("/to-private") { _, _ in Response(status: .found, headers: [.location: "http://10.1.2.3/img.png"]) }
        router.get("/text") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(string: "not an image")))
        }
        // Stopped gracefully (RunningServer), so the test run logs no cancellation error.
        return try await RunningServer.launch(host: "127.0.0.1") { onRunning in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }
            )
        }
    }

    func edit(_ server: RunningServer, url: String) async throws -> (Int, JSONValue) {
        var r = HTTPClientRequest(url: server.baseURL + "/v1/images/edits")
        r.method = .POST
        r.headers.add(name: "Authorization", value: "Bearer sk-allow-fetch-0001")
        r.headers.add(name: "Content-Type", value: "application/json")
        r.body = .bytes(ByteBuffer(bytes: JSONValue.object(["model": "gpt-image-2", "prompt": "x", "image_url": .string(url)]).serialized()))
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), (try? JSONValue.parse(Array(buffer: body))) ?? .null)
    }

    func server(fetch: Bool, loopback: Bool) async throws -> RunningServer {
        var config = try ServerConfiguration()
        config.port = 0
        config.allowFetch = fetch
        config.allowFetchLoopback = loopback
        return try await FakelabApp.start(config)
    }

    @Test func fetchedImagesAreUsedAndEveryHopIsChecked() async throws {
        let host = try await Self.imageHost()
        defer { Task { await host.stop() } }
        let base = "http://127.0.0.1:\(host.port)"
        let fake = try await server(fetch: true, loopback: true)
        defer { Task { await fake.stop() } }

        for path in ["/img.png", "/redirect"] {
            let (status, body) = try await edit(fake, url: base + path)
            #expect(status == 200, "\(path): \(body)")
            let url = try #require(body["data"]?.arrayValue?.first?["url"]?.stringValue)
            let image = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let pixels = try ImageCodec.decode(Array(buffer: try await image.body.collect(upTo: 1 << 22))).0
            #expect(pixels.width == 48 && pixels.height == 40, "the edit used the fetched image")
        }
        for (path, code) in [
            ("/to-private", "invalid_image_url"), ("/loop", "invalid_image_url"), ("/text", "invalid_image"), ("/missing", "invalid_image_url"),
        ] {
            let (status, body) = try await edit(fake, url: base + path)
            #expect(status == 400, "\(path)")
            #expect(body["error"]?["code"]?.stringValue == code, "\(path): \(body)")
            #expect(body["error"]?["param"] == "image_url")
        }
    }

    @Test func loopbackNeedsItsOwnPermission() async throws {
        let fake = try await server(fetch: true, loopback: false)
        defer { Task { await fake.stop() } }
        let (status, body) = try await edit(fake, url: "http://127.0.0.1:9/img.png")
        #expect(status == 400)
        #expect(body["error"]?["code"] == "invalid_image_url")
    }

    @Test func withoutAllowFetchNothingIsDownloaded() async throws {
        let fake = try await server(fetch: false, loopback: false)
        defer { Task { await fake.stop() } }
        // A public-looking URL passes the rules and is not fetched: the result is synthesized.
        let (status, body) = try await edit(fake, url: "https://images.example.com/never-fetched.png")
        #expect(status == 200, "\(body)")
    }
}
