import FakelabAPI
import Foundation
import Testing

@testable import FakelabCassettes

@Suite struct MediaLinksTests {
    let links = MediaLinks(upstreamOrigin: "https://api.tokenlab.example/")

    @Test func signedParametersAreStrippedAndLinksServedFromTheRecorder() throws {
        let body = Array(
            #"{"data":[{"url":"https://cdn.example/img/a.png?X-Amz-Signature=abc&X-Amz-Credential=k&v=2"}],"poll_url":"/v1/tasks/t1","next_url":"https://api.tokenlab.example/v1/tasks/t1","prompt":"https://not-a-link.example"}"#
                .utf8
        )
        let stored = links.sanitized(body)
        let json = try JSONValue.parse(stored)
        #expect(json["data"]?.arrayValue?.first?["url"]?.stringValue == "https://cdn.example/img/a.png?v=2")
        #expect(links.mediaLinks(in: stored) == ["https://cdn.example/img/a.png?v=2"], "the upstream API's own links are not media")
        let served = try JSONValue.parse(links.served(stored, recorderBase: "http://127.0.0.1:9"))
        let url = try #require(served["data"]?.arrayValue?.first?["url"]?.stringValue)
        #expect(url.hasPrefix("http://127.0.0.1:9" + MediaLinks.pathPrefix) && url.hasSuffix(".png"))
        #expect(served["next_url"]?.stringValue == "http://127.0.0.1:9/v1/tasks/t1")
        #expect(served["poll_url"]?.stringValue == "/v1/tasks/t1" && served["prompt"]?.stringValue == "https://not-a-link.example")
        #expect(links.sanitized(Array(#"{"a":1}"#.utf8)) == Array(#"{"a":1}"#.utf8), "nothing to change: the same bytes")
    }

    @Test func byteRedactionLeavesBinaryBodiesAlone() {
        let binary: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(Redactor().redact(bytes: binary) == binary)
        var withKey = binary
        withKey.replaceSubrange(100..<100, with: Array("sk-abcdefghijklmnopqrstuv".utf8))
        let clean = Redactor().redact(bytes: withKey)
        #expect(Redactor().audit(bytes: clean).isEmpty && clean.count == binary.count + Redactor.placeholder.utf8.count)
    }
}

@Suite struct NearMissTests {
    func json(_ text: String, path: String = "/v1/images/generations") -> Exchange.Request {
        Exchange.Request(method: "POST", path: path, contentType: "application/json", body: Array(text.utf8))
    }

    @Test func namesEachFacetThatDiffersAndRanksTheClosestFirst() {
        let incoming = json(#"{"model":"gpt-image-2","prompt":"fox","size":"512x512"}"#)
        let close = CassetteStore.Entry(
            id: 1,
            ordinal: 0,
            match: "",
            exchange: Exchange(
                request: json(#"{"model":"gpt-image-2","prompt":"fox","size":"1024x1024"}"#),
                response: .init(status: 200),
                recordedAt: 0
            )
        )
        let far = CassetteStore.Entry(
            id: 2,
            ordinal: 0,
            match: "",
            exchange: Exchange(
                request: json(#"{"model":"flux-pro","prompt":"cat"}"#, path: "/v1/images/edits"),
                response: .init(status: 200),
                recordedAt: 0
            )
        )
        let ranked = NearMiss.rank(incoming, among: [far, close])
        #expect(ranked.map(\.exchangeID) == [1, 2])
        #expect(ranked[0].differences == [#"body.size: "512x512" ≠ recorded "1024x1024""#])
        #expect(ranked[1].differences.contains("path: /v1/images/generations ≠ recorded /v1/images/edits"))
        #expect(ranked[1].differences.contains(#"body.size: not in the recording"#))
        var query = incoming
        query.query = "a=1"
        #expect(NearMiss.differences(query, incoming) == ["query.a: not in the recording"])
    }
}

@Suite struct CassetteToolsTests {
    func exchange(_ prompt: String, status: Int = 200, result: String = #"{"data":[{"url":"u"}]}"#) -> Exchange {
        Exchange(
            request: .init(
                method: "POST",
                path: "/v1/images/generations",
                headers: [.init("Content-Type", "application/json")],
                contentType: "application/json",
                body: Array(#"{"model":"gpt-image-2","prompt":"\#(prompt)"}"#.utf8)
            ),
            response: .init(status: status, headers: [.init("Content-Type", "application/json")], body: Array(result.utf8), latencyMS: 12.5),
            recordedAt: 1_790_000_000.25
        )
    }

    func store(_ name: String) throws -> CassetteStore {
        try CassetteStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-\(UUID().uuidString)-\(name).cassette").path)
    }

    @Test func harRoundTripKeepsEveryExchangeAndBinaryBodies() throws {
        let a = try store("a")
        try a.append(exchange("fox"))
        try a.append(
            Exchange(
                request: .init(method: "GET", path: "/__fakelab/media/x.png"),
                response: .init(status: 200, headers: [.init("Content-Type", "image/png")], body: [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255]),
                recordedAt: 5
            )
        )
        let har = CassetteHAR.export(try a.entries())
        #expect(har["log"]?["version"]?.stringValue == "1.2")
        let back = try CassetteHAR.exchanges(fromHAR: har.serialized())
        #expect(back == (try a.entries().map(\.exchange)))
        let b = try store("b")
        try b.append(contentsOf: back)
        #expect(CassetteDiff.lines(try a.entries(), try b.entries()).isEmpty)
    }

    @Test func harImportRemovesCredentialsBeforeTheyReachTheCassette() throws {
        let har =
            #"{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://api.example/v1/models?api_key=sk-abcdefghijklmnopqrstu&x=1","headers":[{"name":"Authorization","value":"Bearer sk-abcdefghijklmnopqrstu"}]},"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","text":"{\"echo\":\"sk-abcdefghijklmnopqrstu\"}"}}}]}}"#
        let exchanges = try CassetteHAR.exchanges(fromHAR: Array(har.utf8))
        let s = try store("import")
        try s.append(contentsOf: exchanges)
        #expect(try s.verify().isEmpty)
        #expect(exchanges[0].request.query == "x=1" && exchanges[0].request.headers.isEmpty)
        #expect(throws: CassetteError.badImport) { try CassetteHAR.exchanges(fromHAR: Array("[]".utf8)) }
    }

    @Test func diffNamesChangedFieldsAddedAndRemovedExchanges() throws {
        let old = try store("old")
        let new = try store("new")
        try old.append(exchange("fox"))
        try old.append(exchange("gone"))
        try new.append(exchange("fox", status: 429, result: #"{"error":{"code":"rate_limited"}}"#))
        try new.append(exchange("added"))
        let lines = CassetteDiff.lines(try old.entries(), try new.entries())
        #expect(lines.contains { $0.hasPrefix("- removed POST /v1/images/generations #0") })
        #expect(lines.contains { $0.hasPrefix("+ added POST /v1/images/generations #0") })
        #expect(lines.contains("    status: 200 → 429"))
        #expect(lines.contains(#"    body.error: absent → {"code":"rate_limited"}"#))
    }

    @Test func shapeDiffIgnoresValuesButNotTypesOrMembers() throws {
        let a = try JSONValue.parse(Array(#"{"id":"x","created":1,"data":[{"url":"a"}]}"#.utf8))
        let b = try JSONValue.parse(Array(#"{"id":"y","created":2.5,"data":[{"b64_json":"a"}]}"#.utf8))
        #expect(JSONDiff.compare(a, b, mode: .shape) == ["data[0].b64_json: absent → string", "data[0].url: string → absent"])
    }
}
