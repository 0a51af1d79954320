import FakelabAPI
import Foundation
import Testing

@testable import FakelabCassettes

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func standardVectors(input: String, expected: String) {
        #expect(SHA256.hex(Array(input.utf8)) == expected)
    }
}

@Suite struct RedactorTests {
    let redactor = Redactor()

    @Test func credentialsLeaveHeadersQueriesAndBodies() {
        let headers = redactor.redact(headers: [
            ("Authorization", "Bearer sk-live-0123456789abcdefghij"), ("X-Api-Key", "x"), ("Accept", "application/json"),
        ])
        #expect(headers.map(\.0) == ["Accept"])
        #expect(redactor.redact(query: "b=2&key=secret&a=1&X-Amz-Signature=abc&sig=zz") == "a=1&b=2")
        let body = redactor.redact(text: #"{"note":"my key is sk-live-0123456789abcdefghij, ok"}"#)
        #expect(body == #"{"note":"my key is [REDACTED], ok"}"#)
        #expect(redactor.audit(text: body).isEmpty)
        #expect(redactor.audit(text: "sk-abcdefghijklmnopqrstu") == ["sk-abcdefghijklmnopqrstu"])
        #expect(redactor.audit(text: "task-sk-short and risk-assessment").isEmpty, "only key-shaped strings")
    }

    @Test func aKeyInAPathOrAQueryValueIsReplaced() {
        #expect(redactor.redact(text: "/v1/tasks/sk-live-0123456789abcdefghij") == "/v1/tasks/[REDACTED]")
        #expect(redactor.redact(query: "z=1&note=sk-live-0123456789abcdefghij") == "note=[REDACTED]&z=1")
    }
}

@Suite struct MatchKeyTests {
    func request(_ body: String, _ type: String = "application/json", query: String? = nil) -> Exchange.Request {
        Exchange.Request(method: "post", path: "/v1/images/generations", query: query, contentType: type, body: Array(body.utf8))
    }

    @Test func jsonKeyOrderAndWhitespaceDoNotMatter() {
        let a = MatchKey(request(#"{"model":"gpt-image-2","size":"1024x1024"}"#))
        let b = MatchKey(request("{ \"size\": \"1024x1024\",\n \"model\": \"gpt-image-2\" }"))
        #expect(a == b)
        #expect(a != MatchKey(request(#"{"model":"gpt-image-2","size":"512x512"}"#)))
        #expect(
            MatchKey(request(#"{"model":"m","user":"u1"}"#), ignoring: ["user"])
                == MatchKey(request(#"{"model":"m","user":"u2"}"#), ignoring: ["user"])
        )
        #expect(MatchKey(request("", query: "b=1&a=2")) == MatchKey(request("", query: "a=2&b=1")))
    }

    @Test func multipartBoundariesDoNotMatterButContentDoes() {
        func form(_ boundary: String, _ image: String) -> Exchange.Request {
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\(image)\r\n--\(boundary)--\r\n"
            return request(body, "multipart/form-data; boundary=\(boundary)")
        }
        #expect(MatchKey(form("aaa", "PIXELS")) == MatchKey(form("zzz-other", "PIXELS")))
        #expect(MatchKey(form("aaa", "PIXELS")) != MatchKey(form("aaa", "OTHER!")))
        #expect(MatchKey(form("aaa", "PIXELS")).body.contains("sha256="))
    }
}

@Suite struct CassetteStoreTests {
    func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cassette-\(UUID().uuidString).sqlite").path
    }

    func exchange(_ size: String, status: Int = 200, body: [UInt8] = Array(#"{"created":1,"data":[]}"#.utf8)) -> Exchange {
        Exchange(
            request: .init(
                method: "POST",
                path: "/v1/images/generations",
                contentType: "application/json",
                body: Array(#"{"model":"gpt-image-2","prompt":"cup","size":"\#(size)"}"#.utf8)
            ),
            response: .init(status: status, headers: [.init("Content-Type", "application/json")], body: body, latencyMS: 12.5),
            recordedAt: 1_767_225_600
        )
    }

    @Test func identicalRequestsGetSuccessiveOrdinals() throws {
        let store = try CassetteStore(path: tempPath())
        #expect(try store.append(exchange("1024x1024", body: Array("first".utf8))) == 0)
        #expect(try store.append(exchange("1024x1024", body: Array("second".utf8))) == 1)
        #expect(try store.append(exchange("512x512")) == 0)
        let probe = exchange("1024x1024").request
        let digest = MatchKey(probe).digest
        #expect(try store.answer(digest: digest, upTo: 0)?.response.body == Array("first".utf8))
        #expect(try store.answer(digest: digest, upTo: 1)?.response.body == Array("second".utf8))
        #expect(try store.answer(digest: digest, upTo: 2)?.ordinal == 1, "past the last recording, the last one (replay decides)")
        #expect(try store.answers(digest: digest).map(\.ordinal) == [0, 1])
        #expect(try store.count(of: probe) == 2)
        #expect(try store.answer(digest: digest, upTo: 0)?.response.latencyMS == 12.5)
    }

    @Test func aBodyRecordedManyTimesIsStoredOnce() throws {
        let store = try CassetteStore(path: tempPath())
        let image = [UInt8](repeating: 7, count: 256 << 10)
        for _ in 0..<20 { try store.append(exchange("1024x1024", body: image)) }
        #expect(try store.count() == 20)
        #expect(try store.bodyCount() == 2, "one request body, one response body")
    }

    @Test func secretsAreRefusedAndNothingIsWritten() throws {
        let store = try CassetteStore(path: tempPath())
        var leaky = exchange("1024x1024")
        leaky.request.headers = [.init("Authorization", "Bearer sk-live-0123456789abcdefghij")]
        #expect(throws: CassetteError.secret) { try store.append(leaky) }
        var inBody = exchange("1024x1024", body: Array(#"{"echo":"sk-live-0123456789abcdefghij"}"#.utf8))
        inBody.request.headers = []
        #expect(throws: CassetteError.secret) { try store.append(inBody) }
        var inPath = exchange("1024x1024")
        (inPath.request.headers, inPath.request.path) = ([], "/v1/tasks/sk-live-0123456789abcdefghij")
        #expect(throws: CassetteError.secret) { try store.append(inPath) }
        #expect(try store.count() == 0)
    }

    @Test func replayOpensReadOnlyAndSeesWhatWasRecorded() throws {
        let path = tempPath()
        do {
            let store = try CassetteStore(path: path)
            try store.append(exchange("1024x1024"))
        }
        let replay = try CassetteStore(path: path, readOnly: true)
        #expect(try replay.count() == 1)
        #expect(try replay.integrityCheck() == "ok")
        #expect(throws: CassetteError.writeFailed) { try replay.append(exchange("512x512")) }
        #expect(throws: CassetteError.missing) { try CassetteStore(path: path + ".missing", readOnly: true) }
    }

    @Test func aMissingCassetteAndAnIncompatibleOneAreDifferentErrors() throws {
        let path = tempPath()
        try CassetteStore(path: path).setMeta("schema_version", "2")
        let incompatible = #expect(throws: CassetteError.incompatible) { try CassetteStore(path: path, readOnly: true) }
        #expect(incompatible?.description.contains("has schema version 2; this fakelab reads version 1") == true)
        let missing = #expect(throws: CassetteError.missing) { try CassetteStore(path: path + ".missing", readOnly: true) }
        #expect(missing?.description == "no cassette at \(path).missing")
        #expect(missing != incompatible)
        #expect(CassetteError.missing != .incompatible)
    }

    @Test func aFileThatIsNotACassetteIsRefusedClearly() throws {
        let path = tempPath()
        try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try CassetteStore(path: path) } throws: { ($0 as? CassetteError) == .unreadable && "\($0)".contains("cannot be read") }
    }

    @Test func sixtyFourWritersLoseNothing() async throws {
        let store = try CassetteStore(path: tempPath())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<64 {
                group.addTask {
                    for n in 0..<10 { try store.append(exchange("\(writer)x\(n)")) }
                    try store.append(exchange("shared"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.count() == 64 * 11)
        #expect(try store.count(of: exchange("shared").request) == 64, "ordinals 0…63 for the shared request, none lost or doubled")
        #expect(try store.answer(digest: MatchKey(exchange("shared").request).digest, upTo: 63)?.ordinal == 63)
    }
}

@Suite struct CassetteExportTests {
    @Test func jsonlIsDeterministicAndReadable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).sqlite").path
        let store = try CassetteStore(path: path)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        try store.append(
            Exchange(
                request: .init(
                    method: "POST",
                    path: "/v1/images/generations",
                    contentType: "application/json",
                    body: Array(#"{"prompt":"cup"}"#.utf8)
                ),
                response: .init(status: 200, headers: [.init("Content-Type", "application/json")], body: Array(#"{"data":[]}"#.utf8)),
                recordedAt: 1
            )
        )
        try store.append(
            Exchange(
                request: .init(method: "GET", path: "/fakelab/images/a.png"),
                response: .init(status: 200, headers: [.init("Content-Type", "image/png")], body: png),
                recordedAt: 2
            )
        )
        let first = CassetteExport.jsonl(try store.entries())
        #expect(first == CassetteExport.jsonl(try CassetteStore(path: path, readOnly: true).entries()))
        let lines = first.split(separator: "\n").map { try! JSONValue.parse(Array($0.utf8)) }
        #expect(lines.count == 2)
        #expect(lines[0]["request"]?["body"]?["text"] == #"{"prompt":"cup"}"#)
        #expect(lines[1]["response"]?["body"]?["base64"] == .string(Base64.encode(png)))
        #expect(lines[1]["response"]?["body"]?["sha256"] == .string(SHA256.hex(png)))
        #expect(try CassetteExport.audit(store).isEmpty)
    }
}
