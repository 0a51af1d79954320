import FakelabHTTP
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// Where links point: the configured base, else the Host the client called, else the bound address.
@Suite struct PublicBaseURLTests {
    static func request(authority: String?) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: nil, authority: authority, path: "/v1/models"), body: .init(buffer: ByteBuffer()))
    }

    @Test func configuredThenHostThenBoundAddress() {
        let called = Self.request(authority: "fake.test:8090")
        #expect(called.publicBaseURL(configured: "https://media.example", fallbackHost: "127.0.0.1:1") == "https://media.example")
        #expect(called.publicBaseURL(configured: nil, fallbackHost: "127.0.0.1:1") == "http://fake.test:8090")
        #expect(Self.request(authority: nil).publicBaseURL(configured: nil, fallbackHost: "127.0.0.1:1") == "http://127.0.0.1:1")
    }
}
