import FakelabCassettes
import Testing

/// One list of connection-level headers, matched in any case, for every layer.
@Suite struct HopByHopTests {
    @Test(arguments: ["Connection", "keep-alive", "TRANSFER-ENCODING", "Content-Length", "TE", "Trailer", "Upgrade", "Host", "Proxy-Connection"])
    func connectionLevelNames(_ name: String) {
        #expect(Exchange.Header.isHopByHop(name))
        #expect(Exchange.Header(name, "x").isHopByHop)
    }

    @Test func endToEndHeadersStay() {
        for name in ["Content-Type", "X-Request-ID", "Authorization", "Retry-After", "Proxy-Authorization"] {
            #expect(!Exchange.Header.isHopByHop(name), "\(name)")
        }
        #expect([("Connection", "close"), ("Content-Type", "image/png")].withoutHopByHop().map(\.0) == ["Content-Type"])
    }
}
