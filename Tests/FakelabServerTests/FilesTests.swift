import FakelabAPI
import FakelabImaging
import FakelabTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/v1/files` whole: upload, read, content, delete, list paging and bounds, per key.
@Suite struct FilesTests {
    static let png = DerivedImageTests.solid(24, 16, (12, 34, 56))
    static let otherKey = "sk-fakelab-other-key-0002"

    static func upload(_ client: some TestClientProtocol, purpose: String = "vision", key: String = testKey) async throws -> String {
        let r = try await client.postForm(
            "/v1/files",
            [.file("file", "in.png", png), .text("purpose", purpose), .text("model", "gpt-image-2")],
            key: key
        )
        #expect(r.status == 200, "\(r.json)")
        return try #require(r.json["id"]?.stringValue)
    }

    static func expectNotFound(_ r: FakeResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 404, sourceLocation: sourceLocation)
        #expect(r.error?["type"] == "not_found_error", sourceLocation: sourceLocation)
        #expect(r.error?["code"] == "file_not_found", sourceLocation: sourceLocation)
        #expect(r.error?["param"] == "file_id", sourceLocation: sourceLocation)
        #expect(r.error?["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    static func expectBadRequest(_ r: FakeResponse, code: String, param: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 400, sourceLocation: sourceLocation)
        #expect(r.error?["type"] == "invalid_request_error", sourceLocation: sourceLocation)
        #expect(r.error?["code"] == .string(code), sourceLocation: sourceLocation)
        #expect(r.error?["param"] == .string(param), sourceLocation: sourceLocation)
    }

    @Test func aFileIsReadByIDWithItsContent() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try await Self.upload(client)
            let r = try await client.get("/v1/files/\(id)")
            #expect(r.status == 200)
            #expect(r.json["id"] == .string(id))
            #expect(r.json["object"] == "file")
            #expect(r.json["bytes"] == .int(Self.png.count))
            #expect(r.json["purpose"] == "vision")
            #expect(r.json["filename"] == "in.png")
            #expect(r.json["created_at"]?.intValue != nil)
            let content = try await client.get("/v1/files/\(id)/content")
            #expect(content.status == 200)
            #expect(content.headers[.contentType] == "image/png")
            #expect(content.bytes == Self.png)
            let decoded = try ImageCodec.decode(content.bytes).0
            #expect(decoded.width == 24 && decoded.height == 16)
        }
    }

    @Test func anotherKeysFileIs404() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try await Self.upload(client)
            Self.expectNotFound(try await client.get("/v1/files/\(id)", key: Self.otherKey))
            Self.expectNotFound(try await client.get("/v1/files/\(id)/content", key: Self.otherKey))
            Self.expectNotFound(try await client.sendDelete("/v1/files/\(id)", key: Self.otherKey))
            #expect(try await client.get("/v1/files/\(id)").status == 200, "another key's delete left the file alone")
            Self.expectNotFound(try await client.get("/v1/files/file_unknown"))
            #expect(try await client.get("/v1/files/\(id)", key: nil).status == 401)
        }
    }

    @Test func deleteAnswersDeletedThen404() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try await Self.upload(client)
            let r = try await client.sendDelete("/v1/files/\(id)")
            #expect(r.status == 200)
            #expect(r.json == ["id": .string(id), "object": "file", "deleted": true])
            Self.expectNotFound(try await client.get("/v1/files/\(id)"))
            Self.expectNotFound(try await client.get("/v1/files/\(id)/content"))
            Self.expectNotFound(try await client.sendDelete("/v1/files/\(id)"))
            let list = try await client.get("/v1/files")
            #expect(list.json["data"] == [])
        }
    }

    @Test func anEditNamingADeletedFileIsRefusedNamingTheImage() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let kept = try await Self.upload(client)
            let gone = try await Self.upload(client)
            _ = try await client.sendDelete("/v1/files/\(gone)")
            let r = try await client.postJSON(
                "/v1/images/edits",
                ["model": "gpt-image-2", "prompt": "x", "images": [["file_id": .string(kept)], ["file_id": .string(gone)]]]
            )
            Self.expectBadRequest(r, code: "invalid_value", param: "images[1]")
            #expect(r.error?["message"]?.stringValue?.contains(gone) == true)
        }
    }

    @Test func listPagesWithLimitAndAfter() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var ids: [String] = []
            for purpose in ["vision", "user_data", "vision"] { ids.append(try await Self.upload(client, purpose: purpose)) }
            _ = try await Self.upload(client, key: Self.otherKey)
            let all = try await client.get("/v1/files")
            #expect(all.json["object"] == "list")
            #expect(all.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ids)
            #expect(all.json["has_more"] == false)
            let first = try await client.get("/v1/files?limit=2")
            #expect(first.json["data"]?.arrayValue?.count == 2)
            #expect(first.json["first_id"] == .string(ids[0]))
            #expect(first.json["last_id"] == .string(ids[1]))
            #expect(first.json["has_more"] == true)
            let next = try await client.get("/v1/files?limit=2&after=\(ids[1])")
            #expect(next.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[2]])
            #expect(next.json["first_id"] == .string(ids[2]) && next.json["last_id"] == .string(ids[2]))
            #expect(next.json["has_more"] == false)
            let vision = try await client.get("/v1/files?purpose=vision")
            #expect(vision.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[0], ids[2]])
            let batch = try await client.get("/v1/files?purpose=batch")
            #expect(batch.json["data"] == [] && batch.json["first_id"] == .null && batch.json["last_id"] == .null)
        }
    }

    @Test(arguments: ["0", "1001", "-3", "ten", "2.5"])
    func limitOutOfRangeIs400(limit: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            Self.expectBadRequest(try await client.get("/v1/files?limit=\(limit)"), code: "invalid_value", param: "limit")
        }
    }

    @Test func badFiltersAndCursorsAreNamed() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            #expect(try await client.get("/v1/files?limit=1000").status == 200)
            #expect(try await client.get("/v1/files?limit=1").status == 200)
            Self.expectBadRequest(try await client.get("/v1/files?purpose=assistants"), code: "invalid_value", param: "purpose")
            Self.expectBadRequest(try await client.get("/v1/files?after=file_nope"), code: "invalid_value", param: "after")
            Self.expectBadRequest(try await client.get("/v1/files?scope_id=s1"), code: "unsupported_parameter", param: "scope_id")
            Self.expectBadRequest(try await client.get("/v1/files?before_id=f"), code: "unsupported_parameter", param: "before_id")
        }
    }
}

extension TestClientProtocol {
    func sendDelete(_ path: String, key: String? = testKey) async throws -> FakeResponse {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await send(path, method: .delete, headers: headers, body: nil)
    }
}
