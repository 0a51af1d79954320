import FakelabAPI
import FakelabImaging
import FakelabTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// The 2026-09 catalogue: the new models answer as their contracts say, with real pixels.
@Suite struct Catalog2026Tests {
    static let newModels = [
        "gpt-image-2.5-flare", "gpt-image-2.5-sunburst", "nano-banana-2-lite", "gemini-3.1-flash-lite-image", "grok-imagine-image-2.0",
        "ideogram-edit-v3", "image-background-remover", "image-upscaler",
    ]

    /// A white picture with an opaque red square in the middle.
    static func redSquare(_ w: Int, _ h: Int) -> (png: [UInt8], pixels: PixelBuffer) {
        var px: [UInt8] = []
        for y in 0..<h {
            for x in 0..<w {
                let inside = x >= w / 4 && x < w * 3 / 4 && y >= h / 4 && y < h * 3 / 4
                px += inside ? [220, 20, 30] : [255, 255, 255]
            }
        }
        let buffer = PixelBuffer(width: w, height: h, channels: 3, bytes: px)
        return (PNGCodec.encode(buffer), buffer)
    }

    static func edit(_ client: some TestClientProtocol, _ model: String, _ png: [UInt8], extra: [FormPart] = []) async throws -> FakeResponse {
        try await client.postForm(
            "/v1/images/edits",
            [.text("model", model), .text("prompt", "x"), .text("response_format", "b64_json"), .file("image", "in.png", png)] + extra
        )
    }

    static func decoded(_ r: FakeResponse) throws -> (PixelBuffer, ImageFormat) {
        let b64 = try #require(r.json["data"]?.arrayValue?.first?["b64_json"]?.stringValue, "\(r.json)")
        return try ImageCodec.decode(Array(try #require(Data(base64Encoded: b64))))
    }

    @Test func everyNewModelIsListedWithItsEndpoint() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let list = try await client.get("/v1/models", key: nil)
            let items = Dictionary(
                (list.json["data"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0) },
                uniquingKeysWith: { a, _ in a }
            )
            for id in Self.newModels { #expect(items[id] != nil, "\(id) listed") }
            for id in ["ideogram-edit-v3", "image-background-remover", "image-upscaler"] {
                #expect(items[id]?["tokenlab"]?["request_format_summary"]?["request_endpoint"] == "/v1/images/edits", "\(id)")
            }
            let flare = try await client.get("/v1/models/gpt-image-2.5-flare", key: nil)
            let gpt = try await client.get("/v1/models/gpt-image-2", key: nil)
            #expect(
                flare.json["tokenlab"]?["request_format_summary"]?["supported_parameters"]
                    == gpt.json["tokenlab"]?["request_format_summary"]?["supported_parameters"]
            )
        }
    }

    @Test func theNewGenerationModelsAnswerLikeTheirContracts() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let flare = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2.5-flare", "prompt": "x", "size": "1536x1024"])
            #expect(flare.status == 200)
            let task = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2.5-sunburst", "prompt": "x", "async": true])
            #expect(task.json["task_id"]?.stringValue?.hasPrefix("ldtask_") == true)
            let lite = try await client.postJSON(
                "/v1/images/generations",
                ["model": "nano-banana-2-lite", "prompt": "x", "aspect_ratio": "16:9", "resolution": "2k", "response_format": "b64_json"]
            )
            let (pixels, _) = try Self.decoded(lite)
            #expect(pixels.width == 2688 && pixels.height == 1536)
            let geminiBad = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gemini-3.1-flash-lite-image", "prompt": "x", "style": "vivid"]
            )
            #expect(geminiBad.status == 400 && geminiBad.error?["code"] == "unsupported_parameter" && geminiBad.error?["param"] == "style")
            let png = DerivedImageTests.solid(16, 16, (1, 2, 3))
            let grok = try await client.postForm(
                "/v1/images/edits",
                [.text("model", "grok-imagine-image-2.0"), .text("prompt", "x")] + (0..<4).map { _ in FormPart.file("image[]", "a.png", png) }
            )
            #expect(grok.status == 400 && grok.error?["code"] == "too_many_images" && grok.error?["param"] == "image[][3]")
        }
    }

    @Test func ideogramEditIsEditsOnly() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", ["model": "ideogram-edit-v3", "prompt": "x"])
            #expect(r.status == 400)
            #expect(r.error?["type"] == "invalid_request_error")
            #expect(r.error?["code"] == "unsupported_operation")
            #expect(r.error?["param"] == "model")
            #expect(r.error?["message"]?.stringValue?.contains("/v1/images/edits") == true, "\(r.json)")
            let op = try await client.postJSON("/v1/images/generations", ["model": "ideogram-edit-v3", "prompt": "x", "operation": "image-edit"])
            #expect(op.status == 400 && op.error?["param"] == "operation")
            #expect(op.error?["message"]?.stringValue?.contains("/v1/images/edits") == true)
            let edit = try await Self.edit(client, "ideogram-edit-v3", Self.redSquare(40, 30).png)
            #expect(edit.status == 200)
            #expect(edit.json["task_id"]?.stringValue?.hasPrefix("ldtask_") == true, "task-based (ASSUMED)")
        }
    }

    @Test func theBackgroundRemoverGivesATransparentPNGOfTheInputSize() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let (png, input) = Self.redSquare(48, 32)
            let r = try await Self.edit(client, "image-background-remover", png)
            #expect(r.status == 200)
            let (out, format) = try Self.decoded(r)
            #expect(format == .png)
            #expect(out.channels == 4, "the PNG has alpha")
            #expect(out.width == 48 && out.height == 32)
            #expect(out.rgba(x: 0, y: 0).a == 0 && out.rgba(x: 47, y: 31).a == 0, "the background is transparent")
            let centre = out.rgba(x: 24, y: 16)
            let original = input.rgba(x: 24, y: 16)
            #expect(centre.a == 255 && centre.r == original.r && centre.g == original.g && centre.b == original.b, "the subject is kept")
            let url = try await client.postForm(
                "/v1/images/edits",
                [.text("model", "image-background-remover"), .text("prompt", "x"), .file("image", "in.png", png)]
            )
            let link = try #require(url.json["data"]?.arrayValue?.first?["url"]?.stringValue)
            let fetched = try await client.get(String(link[link.range(of: "/fakelab/")!.lowerBound...]), key: nil)
            #expect(fetched.headers[.contentType] == "image/png")
            #expect(try ImageCodec.decode(fetched.bytes).0.channels == 4)
            let bad = try await Self.edit(client, "image-background-remover", png, extra: [.text("size", "1024x1024")])
            #expect(bad.status == 400 && bad.error?["code"] == "unsupported_parameter" && bad.error?["param"] == "size")
        }
    }

    @Test func theUpscalerDoublesTheInputKeepingItsRatioAndPixels() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let (png, input) = Self.redSquare(40, 30)
            let r = try await Self.edit(client, "image-upscaler", png)
            #expect(r.status == 200)
            let (out, format) = try Self.decoded(r)
            #expect(format == .png)
            #expect(out.width == 80 && out.height == 60, "input × 2, ratio kept")
            for (x, y) in [(0, 0), (20, 15), (39, 29), (9, 7)] {
                let a = out.rgba(x: x * 2, y: y * 2)
                let b = input.rgba(x: x, y: y)
                #expect(a.r == b.r && a.g == b.g && a.b == b.b, "pixel (\(x), \(y)) kept")
            }
            let scale = try await Self.edit(client, "image-upscaler", png, extra: [.text("scale", "4")])
            #expect(scale.status == 400)
            #expect(scale.error?["code"] == "unsupported_parameter" && scale.error?["param"] == "scale")
            let gen = try await client.postJSON("/v1/images/generations", ["model": "image-upscaler", "prompt": "x"])
            #expect(gen.status == 400 && gen.error?["code"] == "unsupported_operation")
            #expect(gen.error?["message"]?.stringValue?.contains("/v1/images/edits") == true)
        }
    }

    @Test func theUpscalerRefusesAResultOverItsPixelLimit() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let big = DerivedImageTests.solid(2049, 2048, (5, 6, 7))
            let r = try await Self.edit(client, "image-upscaler", big)
            #expect(r.status == 400)
            #expect(r.error?["type"] == "invalid_request_error")
            #expect(r.error?["code"] == "invalid_value")
            #expect(r.error?["param"] == "image")
        }
    }
}
