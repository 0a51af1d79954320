import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every refusal of the foundation issue, over HTTP: status, `type`, `code` and `param`.
@Suite struct ErrorEnvelopeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let body: JSONValue
        let status: Int
        let code: String?
        let param: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "missing model", body: ["prompt": "a cup"], status: 400, code: nil, param: "model"),
        .init(name: "unknown model", body: ["model": "nano-bananna", "prompt": "a cup"], status: 400, code: "model_not_found", param: "model"),
        .init(
            name: "field outside the contract",
            body: ["model": "gpt-image-2", "prompt": "a cup", "input_fidelity": "high"],
            status: 400,
            code: "unsupported_parameter",
            param: "input_fidelity"
        ),
        .init(name: "out of range", body: ["model": "gpt-image-2", "prompt": "a cup", "n": 12], status: 400, code: "invalid_value", param: "n"),
        .init(
            name: "not in enum",
            body: ["model": "gpt-image-2", "prompt": "a cup", "response_format": "png"],
            status: 400,
            code: "invalid_value",
            param: "response_format"
        ),
        .init(
            name: "bad size",
            body: ["model": "gpt-image-2", "prompt": "a cup", "size": "4000x4000"],
            status: 400,
            code: "invalid_value",
            param: "size"
        ),
        .init(
            name: "stream true",
            body: ["model": "gpt-image-2", "prompt": "a cup", "stream": true],
            status: 400,
            code: "unsupported_parameter",
            param: "stream"
        ),
        .init(
            name: "images[] on generations",
            body: ["model": "gpt-image-2", "prompt": "a cup", "images": [["file_id": "file_1"]]],
            status: 400,
            code: "unsupported_parameter",
            param: "images"
        ),
        .init(
            name: "file_id on generations",
            body: ["model": "gpt-image-2", "prompt": "a cup", "file_id": "file_1"],
            status: 400,
            code: "unsupported_parameter",
            param: "file_id"
        ),
        .init(
            name: "prompt over the limit",
            body: ["model": "gpt-image-2", "prompt": .string(String(repeating: "p", count: 4001))],
            status: 400,
            code: "string_above_max_length",
            param: "prompt"
        ),
        .init(
            name: "wrong JSON type",
            body: ["model": "gpt-image-2", "prompt": "a cup", "async": "yes"],
            status: 400,
            code: "invalid_type",
            param: "async"
        ),
        .init(name: "body not an object", body: ["model", "prompt"], status: 400, code: "invalid_json", param: nil),
    ]

    @Test(arguments: cases)
    func refusesWithTheEnvelope(c: Case) async throws {
        let app = testApplication(try testConfiguration())
        try await app.test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", c.body)
            #expect(r.status == c.status)
            #expect(r.error?["type"] == "invalid_request_error")
            #expect(r.error?["code"]?.stringValue == c.code)
            #expect(r.error?["param"]?.stringValue == c.param)
            #expect(r.error?["message"]?.stringValue?.isEmpty == false)
            #expect(r.headers[.contentType] == "application/json")
            #expect(r.headers[HTTPField.Name("X-Request-ID")!]?.hasPrefix("req_") == true)
            if c.status == 400, c.code != "invalid_json" {
                #expect(r.json["validation_errors"]?.arrayValue?.first?["field"]?.stringValue == c.param)
            }
        }
    }

    @Test func unknownModelCarriesDidYouMean() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-3", "prompt": "x"])
            #expect(r.error?["did_you_mean"] == "gpt-image-2")
            #expect(r.error?["suggestions"]?.arrayValue?.first?["id"] == "gpt-image-2")
        }
    }

    @Test func unsupportedParameterCarriesTheSupportedList() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", ["model": "nano-banana", "prompt": "x", "quality": "high"])
            #expect(r.error?["param"] == "quality")
            let supported = r.error?["supported_parameters"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(supported.contains("aspect_ratio") && !supported.contains("quality"))
        }
    }

    @Test func allViolationsAreListedAndTheFirstIsTheError() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "x", "stream": true, "quality": "ultra", "n": 0]
            )
            let fields = r.json["validation_errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(Set(fields) == ["stream", "quality", "n"])
            #expect(r.error?["param"]?.stringValue == fields.first)
        }
    }

    @Test(arguments: [
        nil, "Bearer", "Bearer abc", "Basic c2stMTIzNDU2Nzg=", "Bearer sk-short", "Bearer sk-has spaces in it", "Bearer mt-management-token",
    ])
    func missingOrMalformedKeyIs401(authorization: String?) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let authorization { headers[.authorization] = authorization }
            let r = try await client.send(
                "/v1/images/generations",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"model":"gpt-image-2","prompt":"x"}"#)
            )
            #expect(r.status == 401)
            #expect(r.error?["type"] == "invalid_api_key")
            #expect(r.error?["code"] == "invalid_api_key")
        }
    }

    @Test(arguments: ["{\"model\":", "not json at all", "", "{\"model\":\"gpt-image-2\",}"])
    func malformedJSONIs400(body: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.authorization] = "Bearer \(testKey)"
            let r = try await client.send("/v1/images/generations", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(r.status == 400)
            #expect(r.error?["code"] == "invalid_json")
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
    func wrongContentTypeIs400(contentType: String?) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            if let contentType { headers[.contentType] = contentType }
            headers[.authorization] = "Bearer \(testKey)"
            let r = try await client.send("/v1/images/generations", method: .post, headers: headers, body: ByteBuffer(string: "model=gpt-image-2"))
            #expect(r.status == 400)
            #expect(r.error?["code"] == "invalid_content_type")
        }
    }

    /// MultipartKit 4.7.1 traps on a header-name byte ≥ 0x80 (found by scripts/fuzz): the guard
    /// answers 400 first, on every multipart route, and the server keeps serving.
    @Test(arguments: ["/v1/images/edits", "/v1/images/variations", "/v1/files"])
    func nonASCIIPartHeaderNameIs400NotACrash(path: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=xyz"
            headers[.authorization] = "Bearer \(testKey)"
            var body = ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n")
            body.writeBytes([0x58, 0xC3, 0xA9, 0x3A, 0x20, 0x31, 0x0D, 0x0A, 0x0D, 0x0A])  // "Xé: 1" as a header line
            body.writeString("gpt-image-2\r\n--xyz--\r\n")
            let r = try await client.send(path, method: .post, headers: headers, body: body)
            #expect(r.status == 400)
            #expect(r.error?["message"]?.stringValue?.contains("not ASCII") == true)
            #expect(try await client.get("/v1/models").status == 200)
        }
    }

    @Test func unknownRouteIs404InTheEnvelope() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/nothing-here")
            #expect(r.status == 404)
            #expect(r.error?["type"] == "not_found_error")
            #expect(r.headers[HTTPField.Name("X-Request-ID")!] != nil)
        }
    }

    @Test func oversizeJSONIs413() async throws {
        var config = try testConfiguration()
        config.limits = Limits(maxBodyBytes: 4096, maxImageBytes: 2048, maxJSONBytes: 1024)
        try await testApplication(config).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": .string(String(repeating: "x", count: 2000))]
            )
            #expect(r.status == 413)
            #expect(r.error?["code"] == "payload_too_large")
        }
    }
}
