import Testing

@testable import FakelabAPI

@Suite struct ReferenceURLPolicyTests {
    @Test(arguments: [
        "https://example.com/a.png", "http://cdn.example.org/x/y.jpg?size=2", "https://8.8.8.8/a.png", "https://[2606:4700::1111]/a.png",
    ])
    func acceptsPublicURLs(url: String) {
        #expect(ReferenceURLPolicy.problem(with: url) == nil)
    }

    @Test(arguments: [
        "ftp://example.com/a.png", "file:///etc/passwd", "data:image/png;base64,AAAA", "not a url",
        "https://user:pw@example.com/a.png", "https://token@example.com/a.png", "https://example.com/a.png#frag",
        "http://127.0.0.1/a.png", "http://localhost/a.png", "http://foo.localhost/a.png", "http://printer.local/a.png",
        "http://10.1.2.3/a.png", "http://172.16.0.1/a.png", "http://192.168.1.1/a.png", "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/", "http://2130706433/", "http://0x7f000001/",
        "http://0177.0.0.1/", "http://127.1/", "http://0x7f.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/", "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[::]/",
        "http://metadata.google.internal/", "http://intranet/",
    ])
    func refusesPrivateOrCredentialedURLs(url: String) {
        #expect(ReferenceURLPolicy.problem(with: url) != nil)
    }

    @Test func loopbackIsAllowedOnlyWhenAsked() {
        #expect(ReferenceURLPolicy.problem(with: "http://127.0.0.1:9000/a.png", allowLoopback: true) == nil)
        #expect(ReferenceURLPolicy.problem(with: "http://localhost:9000/a.png", allowLoopback: true) == nil)
        #expect(ReferenceURLPolicy.problem(with: "http://10.0.0.1/a.png", allowLoopback: true) != nil)
    }
}

@Suite struct HeaderValueTests {
    @Test func quotedParametersKeepSemicolonsAndEscapes() {
        let disposition = #"form-data; name="image"; filename="a;b \"x\".png""#
        #expect(HeaderValue.parameter("name", in: disposition) == "image")
        #expect(HeaderValue.parameter("filename", in: disposition) == #"a;b "x".png"#)
        #expect(HeaderValue.parameter("boundary", in: #"multipart/form-data; charset=utf-8; BOUNDARY="--abc""#) == "--abc")
        #expect(HeaderValue.parameter("boundary", in: "multipart/form-data") == nil)
        #expect(HeaderValue.mediaType(" Multipart/Form-Data ; boundary=x") == "multipart/form-data")
    }
}
