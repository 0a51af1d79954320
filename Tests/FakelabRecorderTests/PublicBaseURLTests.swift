import FakelabHTTP
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// Where links point: the configured base, else the Host the client called, else the bound address.
@Suite struct PublicBaseURLTests {
    static func request(authority: String?, path: String = "/v1/models") -> Request {
        Request(head: HTTPRequest(method: .get, scheme: nil, authority: authority, path: path), body: .init(buffer: ByteBuffer()))
    }

    @Test func configuredThenHostThenBoundAddress() {
        let called = Self.request(authority: "fake.test:8090")
        #expect(called.publicBaseURL(configured: "https://media.example", fallbackHost: "127.0.0.1:1") == "https://media.example")
        #expect(called.publicBaseURL(configured: nil, fallbackHost: "127.0.0.1:1") == "http://fake.test:8090")
        #expect(Self.request(authority: nil).publicBaseURL(configured: nil, fallbackHost: "127.0.0.1:1") == "http://127.0.0.1:1")
    }

    @Test func aPathIsAppendedOnce() {
        let called = Self.request(authority: "fake.test:8090")
        #expect(called.publicBaseURL(configured: nil, fallbackHost: "x", appending: "/fakelab/images/") == "http://fake.test:8090/fakelab/images/")
        #expect(called.publicBaseURL(configured: "https://m.example", fallbackHost: "x", appending: "/a/") == "https://m.example/a/")
    }

    /// `uriPath` is `uri.path` whatever the target (the bare-path case just makes no new string).
    @Test(arguments: ["/v1/images/generations", "/v1/tasks/abc?x=1", "/a#frag", "//double/slash", "/", "/v1/files/f%20g"])
    func uriPathEqualsHummingbirdsPath(target: String) {
        let request = Self.request(authority: nil, path: target)
        #expect(request.uriPath == request.uri.path)
    }
}
