import FakelabAPI
import FakelabImaging
import FakelabServer
import FakelabTestSupport
import HummingbirdTesting
import Testing

/// Every reference-image shape against every model family: accepted where the contract lists
/// it, refused with the field named where it does not.
@Suite struct ReferenceShapeTests {
    static let png = DerivedImageTests.solid(32, 32, (10, 20, 30))
    static let url = "https://example.com/in.png"

    enum Body: Sendable {
        case json(JSONValue)
        case form([FormPart])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let body: Body
        let status: Int
        var code: String? = nil
        var param: String? = nil
        var testDescription: String { name }
    }

    static func i2i(_ model: String, _ extra: JSONValue) -> JSONValue {
        guard case .object(var o) = extra else { return extra }
        o["model"] = .string(model)
        o["prompt"] = "x"
        o["operation"] = "image-to-image"
        return .object(o)
    }

    static func form(_ model: String, _ parts: [FormPart]) -> [FormPart] { [.text("model", model), .text("prompt", "x")] + parts }

    static let cases: [Case] = [
        // Nano Banana: image-to-image on generations with URLs or an uploaded image.
        .init(
            name: "nano-banana image_url",
            path: "/v1/images/generations",
            body: .json(i2i("nano-banana", ["image_url": .string(url)])),
            status: 200
        ),
        .init(
            name: "nano-banana image_urls",
            path: "/v1/images/generations",
            body: .json(i2i("nano-banana", ["image_urls": [.string(url), .string(url)]])),
            status: 200
        ),
        .init(
            name: "nano-banana multipart image",
            path: "/v1/images/generations",
            body: .form(form("nano-banana", [.text("operation", "image-to-image"), .file("image", "a.png", png)])),
            status: 200
        ),
        .init(
            name: "nano-banana multipart image_urls (comma-separated)",
            path: "/v1/images/generations",
            body: .form(form("nano-banana", [.text("operation", "image-to-image"), .text("image_urls", "\(url),\(url)")])),
            status: 200
        ),
        .init(
            name: "nano-banana reference_image_urls refused",
            path: "/v1/images/generations",
            body: .json(i2i("nano-banana", ["reference_image_urls": [.string(url)]])),
            status: 400,
            code: "unsupported_parameter",
            param: "reference_image_urls"
        ),
        .init(
            name: "nano-banana on edits says where to go",
            path: "/v1/images/edits",
            body: .json(["model": "nano-banana", "prompt": "x", "image_url": .string(url)]),
            status: 400,
            code: "unsupported_operation",
            param: "model"
        ),
        // Gemini: URLs as image_urls or reference_image_urls.
        .init(
            name: "gemini-3-pro-image reference_image_urls",
            path: "/v1/images/generations",
            body: .json(i2i("gemini-3-pro-image", ["reference_image_urls": [.string(url)], "resolution": "2k"])),
            status: 200
        ),
        .init(
            name: "gemini-3-pro-image image_url refused",
            path: "/v1/images/generations",
            body: .json(i2i("gemini-3-pro-image", ["image_url": .string(url)])),
            status: 400,
            code: "unsupported_parameter",
            param: "image_url"
        ),
        // FLUX: one image_url.
        .init(name: "flux-pro image_url", path: "/v1/images/generations", body: .json(i2i("flux-pro", ["image_url": .string(url)])), status: 200),
        .init(
            name: "flux-pro image_urls refused",
            path: "/v1/images/generations",
            body: .json(i2i("flux-pro", ["image_urls": [.string(url)]])),
            status: 400,
            code: "unsupported_parameter",
            param: "image_urls"
        ),
        // Ideogram: up to 3 reference_image_urls.
        .init(
            name: "ideogram-v3 reference_image_urls",
            path: "/v1/images/generations",
            body: .json(i2i("ideogram-v3", ["reference_image_urls": [.string(url), .string(url), .string(url)]])),
            status: 200
        ),
        .init(
            name: "ideogram-v3 four references",
            path: "/v1/images/generations",
            body: .json(i2i("ideogram-v3", ["reference_image_urls": [.string(url), .string(url), .string(url), .string(url)]])),
            status: 400,
            code: "too_many_images",
            param: "reference_image_urls[3]"
        ),
        // Text-only models and operations.
        .init(
            name: "qwen-image-plus image-to-image refused",
            path: "/v1/images/generations",
            body: .json(i2i("qwen-image-plus", ["image_url": .string(url)])),
            status: 400,
            code: "unsupported_operation",
            param: "operation"
        ),
        .init(
            name: "gpt-image-2 image_urls on generations refused",
            path: "/v1/images/generations",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_urls": [.string(url)]]),
            status: 400,
            code: "unsupported_parameter",
            param: "image_urls"
        ),
        .init(
            name: "image-to-image without an image",
            path: "/v1/images/generations",
            body: .json(i2i("nano-banana", [:])),
            status: 400,
            param: "image_url"
        ),
        // gpt-image-2 edits: every shape.
        .init(
            name: "gpt-image-2 edit multipart image",
            path: "/v1/images/edits",
            body: .form(form("gpt-image-2", [.file("image", "a.png", png)])),
            status: 200
        ),
        .init(
            name: "gpt-image-2 edit multipart image[] x3",
            path: "/v1/images/edits",
            body: .form(form("gpt-image-2", [.file("image[]", "a.png", png), .file("image[]", "b.png", png), .file("image[]", "c.png", png)])),
            status: 200
        ),
        .init(
            name: "gpt-image-2 edit JSON image_url",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_url": .string(url)]),
            status: 200
        ),
        .init(
            name: "gpt-image-2 edit JSON image_urls",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_urls": [.string(url)]]),
            status: 200
        ),
        .init(
            name: "gpt-image-2 edit JSON images[] with a mask object",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "images": [["image_url": .string(url)]], "mask": ["image_url": .string(url)]]),
            status: 200
        ),
        .init(
            name: "edit JSON with two shapes",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_url": .string(url), "images": [["image_url": .string(url)]]]),
            status: 400,
            code: "invalid_value"
        ),
        .init(
            name: "images[] item with both url and file_id",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "images": [["image_url": .string(url), "file_id": "file_1"]]]),
            status: 400,
            code: "invalid_value",
            param: "images[0]"
        ),
        .init(
            name: "unknown file_id",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "images": [["file_id": "file_doesnotexist"]]]),
            status: 400,
            code: "invalid_value",
            param: "images[0]"
        ),
        .init(
            name: "seventeen images",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_urls": .array(Array(repeating: .string(url), count: 17))]),
            status: 400,
            code: "invalid_value",
            param: "image_urls"
        ),
        .init(
            name: "mask not a PNG",
            path: "/v1/images/edits",
            body: .form(form("gpt-image-2", [.file("image", "a.png", png), .file("mask", "m.jpg", Array(JPEGProbe.tiny))])),
            status: 400,
            code: "invalid_image",
            param: "mask"
        ),
        // Grok: at most 3 source images.
        .init(
            name: "grok edit three images",
            path: "/v1/images/edits",
            body: .form(form("grok-imagine-image", [.file("image", "a.png", png), .file("image", "b.png", png), .file("image", "c.png", png)])),
            status: 200
        ),
        .init(
            name: "grok edit four images",
            path: "/v1/images/edits",
            body: .form(
                form(
                    "grok-imagine-image",
                    [.file("image", "a.png", png), .file("image", "b.png", png), .file("image", "c.png", png), .file("image", "d.png", png)]
                )
            ),
            status: 400,
            code: "too_many_images",
            param: "image[3]"
        ),
        // Variations: multipart only, a model that lists the endpoint.
        .init(
            name: "dall-e-2 variation",
            path: "/v1/images/variations",
            body: .form([.text("model", "dall-e-2"), .file("image", "a.png", png), .text("size", "256x256")]),
            status: 200
        ),
        .init(
            name: "variation without model",
            path: "/v1/images/variations",
            body: .form([.file("image", "a.png", png)]),
            status: 400,
            param: "model"
        ),
        .init(
            name: "gpt-image-2 on variations",
            path: "/v1/images/variations",
            body: .form([.text("model", "gpt-image-2"), .file("image", "a.png", png)]),
            status: 400,
            code: "unsupported_operation",
            param: "model"
        ),
        .init(
            name: "variation as JSON",
            path: "/v1/images/variations",
            body: .json(["model": "dall-e-2", "image_url": .string(url)]),
            status: 400,
            code: "invalid_content_type"
        ),
        // Remote URL rules name the offending item.
        .init(
            name: "private URL at index 2",
            path: "/v1/images/generations",
            body: .json(i2i("nano-banana", ["image_urls": [.string(url), .string(url), "http://192.168.1.10/x.png"]])),
            status: 400,
            code: "invalid_image_url",
            param: "image_urls[2]"
        ),
        .init(
            name: "credentials in image_url",
            path: "/v1/images/edits",
            body: .json(["model": "gpt-image-2", "prompt": "x", "image_url": "https://u:p@example.com/a.png"]),
            status: 400,
            code: "invalid_image_url",
            param: "image_url"
        ),
        .init(
            name: "decimal loopback",
            path: "/v1/images/generations",
            body: .json(i2i("flux-pro", ["image_url": "http://2130706433/a.png"])),
            status: 400,
            code: "invalid_image_url",
            param: "image_url"
        ),
        .init(
            name: "not an image upload",
            path: "/v1/images/edits",
            body: .form(form("gpt-image-2", [.file("image", "a.png", Array("%PDF-1.7".utf8))])),
            status: 400,
            code: "invalid_image",
            param: "image"
        ),
    ]

    @Test(arguments: cases)
    func shape(c: Case) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r: FakeResponse
            switch c.body {
            case .json(let v): r = try await client.postJSON(c.path, v)
            case .form(let parts): r = try await client.postForm(c.path, parts)
            }
            #expect(r.status == c.status, "\(r.json)")
            if c.status != 200 {
                if let code = c.code { #expect(r.error?["code"]?.stringValue == code) }
                if let param = c.param { #expect(r.error?["param"]?.stringValue == param) }
            }
        }
    }

    @Test func fileIDsWorkForTheirKeyAndModelOnly() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let up = try await client.postForm(
                "/v1/files",
                [.file("file", "in.png", DerivedImageTests.solid(40, 30, (9, 9, 9))), .text("purpose", "vision")]
            )
            #expect(up.status == 200, "\(up.json)")
            let id = try #require(up.json["id"]?.stringValue)
            #expect(up.json["object"] == "file" && up.json["bytes"]?.intValue != nil && up.json["purpose"] == "vision")
            let edit = try await client.postJSON("/v1/images/edits", ["model": "gpt-image-2", "prompt": "x", "images": [["file_id": .string(id)]]])
            #expect(edit.status == 200)
            let url = try #require(edit.json["data"]?.arrayValue?.first?["url"]?.stringValue)
            let image = try await client.get(String(url[url.range(of: "/fakelab/")!.lowerBound...]), key: nil)
            #expect(try ImageCodec.decode(image.bytes).0.width == 40, "the edit kept the uploaded file's size")
            let foreign = try await client.postJSON(
                "/v1/images/edits",
                ["model": "gpt-image-2", "prompt": "x", "images": [["file_id": .string(id)]]],
                key: "sk-someone-else-0001"
            )
            #expect(foreign.status == 400 && foreign.error?["param"] == "images[0]")
            let otherModel = try await client.postJSON(
                "/v1/images/edits",
                ["model": "grok-imagine-image", "prompt": "x", "images": [["file_id": .string(id)]]]
            )
            #expect(otherModel.status == 400)
            let list = try await client.get("/v1/files")
            #expect(list.json["data"]?.arrayValue?.count == 1 && list.json["has_more"] == false)
            let bad = try await client.postForm("/v1/files", [.file("file", "x.txt", Array("hello".utf8)), .text("purpose", "batch")])
            #expect(bad.status == 400)
            let params = Set(bad.json["validation_errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(params == ["file", "purpose"])
        }
    }
}

enum JPEGProbe {
    static let tiny: [UInt8] = try! JPEGCodec.encode(PixelBuffer(width: 8, height: 8, channels: 3, bytes: [UInt8](repeating: 128, count: 192)))
}
