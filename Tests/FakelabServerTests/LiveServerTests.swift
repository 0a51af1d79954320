import AsyncHTTPClient
import FakelabAPI
import FakelabServer
import Foundation
import NIOCore
import Testing

/// The library product as a user's test suite would use it: start on port 0, call over a real
/// socket, stop.
@Suite struct LiveServerTests {
    @Test func startsOnAFreePortServesAndStops() async throws {
        var config = try ServerConfiguration()
        config.port = 0
        let server = try await FakelabApp.start(config)
        #expect(server.port > 0)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let health = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(5))
            #expect(health.status == .ok)
            #expect(health.headers.first(name: "X-Request-ID")?.hasPrefix("req_") == true)

            var create = HTTPClientRequest(url: server.baseURL + "/v1/images/generations")
            create.method = .POST
            create.headers.add(name: "Authorization", value: "Bearer sk-live-test-00000001")
            create.headers.add(name: "Content-Type", value: "application/json")
            create.body = .bytes(ByteBuffer(string: #"{"model":"gpt-image-2","prompt":"cup","size":"1024x1024"}"#))
            let response = try await client.execute(create, timeout: .seconds(10))
            let body = try JSONValue.parse(Array(buffer: try await response.body.collect(upTo: 1 << 20)))
            let url = try #require(body["data"]?.arrayValue?.first?["url"]?.stringValue)
            #expect(url.hasPrefix(server.baseURL + "/fakelab/images/"), "URLs use the Host the client called")
            let image = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            #expect(image.headers.first(name: "Content-Type") == "image/png")
        } catch {
            try await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        let after = try? await HTTPClient.shared.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(2))
        #expect(after == nil, "the server no longer answers after stop()")
    }
}
