import FakelabAPI
import FakelabImaging
import FakelabServer
import FakelabTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Real images: fetched or base64-decoded, then decoded by libpng-compatible, libjpeg-turbo and
/// libwebp decoders, with the exact dimensions and format the request implies.
@Suite struct GenerationTests {
    func decode(_ bytes: [UInt8]) throws -> (PixelBuffer, ImageFormat) { try ImageCodec.decode(bytes) }

    func fetch(_ url: String, _ client: some TestClientProtocol) async throws -> FakeResponse {
        let path = try #require(URL(string: url)?.path)
        return try await client.get(path, key: nil)
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let body: JSONValue
        let width: Int
        let height: Int
        let format: ImageFormat
        var testDescription: String { body.serializedString() }
    }

    static let shapes: [Shape] = [
        .init(body: ["model": "gpt-image-2", "prompt": "cup", "size": "1024x1024"], width: 1024, height: 1024, format: .png),
        .init(body: ["model": "gpt-image-2", "prompt": "cup"], width: 1024, height: 1024, format: .png),
        .init(
            body: ["model": "gpt-image-2", "prompt": "cup", "size": "1536x1024", "output_format": "jpeg", "output_compression": 60],
            width: 1536,
            height: 1024,
            format: .jpeg
        ),
        .init(
            body: ["model": "gpt-image-2", "prompt": "cup", "size": "1024x1536", "output_format": "webp"],
            width: 1024,
            height: 1536,
            format: .webp
        ),
        .init(body: ["model": "nano-banana", "prompt": "cup", "aspect_ratio": "16:9"], width: 1344, height: 768, format: .png),
        .init(
            body: ["model": "nano-banana-2", "prompt": "cup", "aspect_ratio": "9:16", "resolution": "2k"],
            width: 1536,
            height: 2688,
            format: .png
        ),
        .init(body: ["model": "grok-imagine-image", "prompt": "cup", "aspect_ratio": "2:1"], width: 1440, height: 720, format: .jpeg),
    ]

    @Test(arguments: shapes)
    func urlResultsServeDecodableImagesOfTheRequestedSize(shape: Shape) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", shape.body)
            #expect(r.status == 200, "\(r.json)")
            #expect(r.json["created"]?.intValue != nil)
            let billing = try #require(r.json["billing_transaction_id"]?.stringValue)
            #expect(r.headers[HTTPField.Name("X-Billing-Transaction-ID")!] == billing)
            let url = try #require(r.json["data"]?.arrayValue?.first?["url"]?.stringValue)
            let image = try await fetch(url, client)
            #expect(image.status == 200)
            #expect(image.headers[.contentType] == shape.format.mimeType)
            let (pixels, format) = try decode(image.bytes)
            #expect(format == shape.format)
            #expect(pixels.width == shape.width && pixels.height == shape.height)
        }
    }

    @Test func b64JSONCarriesTheImageItself() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup", "size": "1024x1024", "response_format": "b64_json", "n": 2]
            )
            let data = try #require(r.json["data"]?.arrayValue)
            #expect(data.count == 2)
            #expect(data.allSatisfy { $0["url"] == nil })
            let images = try data.map { item in
                let b64 = try #require(item["b64_json"]?.stringValue)
                return try #require(Data(base64Encoded: b64)).map { $0 }
            }
            for bytes in images {
                let (pixels, format) = try decode(bytes)
                #expect(format == .png && pixels.width == 1024 && pixels.height == 1024)
            }
            #expect(images[0] != images[1], "n images must differ")
        }
    }

    @Test func sameSeedSameRequestSameImagesAcrossServers() async throws {
        let body: JSONValue = ["model": "gpt-image-2", "prompt": "cup", "size": "1024x1024", "response_format": "b64_json"]
        func run(seed: UInt64) async throws -> String? {
            try await testApplication(try testConfiguration(seed: seed)).test(.router) { client in
                try await client.postJSON("/v1/images/generations", body).json["data"]?.arrayValue?.first?["b64_json"]?.stringValue
            }
        }
        let a = try await run(seed: 1)
        let b = try await run(seed: 1)
        let c = try await run(seed: 2)
        #expect(a != nil && a == b)
        #expect(a != c)
    }

    @Test func multipartGenerationIsAcceptedAndCoerced() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "cup"), .text("n", "3"), .text("size", "1024x1536"),
                ]
            )
            #expect(r.status == 200, "\(r.json)")
            #expect(r.json["data"]?.arrayValue?.count == 3)
        }
    }

    @Test func multipartKnowsImageToImageInputsAlready() async throws {
        let png = PNGCodec.encode(Synthesizer.pixels(ImageSpec(width: 64, height: 64, format: .png, seed: 9)))
        try await testApplication(try testConfiguration()).test(.router) { client in
            let ok = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "nano-banana-pro"), .text("prompt", "cup"), .text("operation", "image-to-image"), .file("image", "in.png", png),
                ]
            )
            #expect(ok.status == 200, "\(ok.json)")
            let wrong = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "cup"), .file("image", "in.png", png),
                ]
            )
            #expect(wrong.status == 400)
            #expect(wrong.error?["param"] == "image")
            let notImage = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "nano-banana"), .text("prompt", "cup"), .text("operation", "image-to-image"),
                    .file("image", "in.png", Array("GIF89a....".utf8)),
                ]
            )
            #expect(notImage.status == 400)
            #expect(notImage.error?["code"] == "invalid_image")
        }
    }

    @Test func malformedMultipartIs400NeverACrash() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(testKey)"
            headers[.contentType] = "multipart/form-data; boundary=abc"
            let truncated =
                "--abc\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2\r\n--abc\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nhal"
            var r = try await client.send("/v1/images/generations", method: .post, headers: headers, body: ByteBuffer(string: truncated))
            #expect(r.status == 400)
            #expect(r.error?["message"]?.stringValue?.contains("truncated") == true)
            r = try await client.send("/v1/images/generations", method: .post, headers: headers, body: ByteBuffer(string: "no boundary anywhere"))
            #expect(r.status == 400)
            let noName = "--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n--abc--\r\n"
            r = try await client.send("/v1/images/generations", method: .post, headers: headers, body: ByteBuffer(string: noName))
            #expect(r.status == 400)
            let duplicate = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "a"), .text("prompt", "b"),
                ]
            )
            #expect(duplicate.status == 400)
            #expect(duplicate.error?["code"] == "duplicate_field")
            #expect(duplicate.error?["param"] == "prompt")
        }
    }

    @Test func oversizePartIs413WithItsName() async throws {
        var config = try testConfiguration()
        config.limits = Limits(maxBodyBytes: 64 << 10, maxImageBytes: 8 << 10)
        try await testApplication(config).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "nano-banana"), .text("prompt", "x"), .file("image", "big.png", [UInt8](repeating: 1, count: 9 << 10)),
                ]
            )
            #expect(r.status == 413)
            #expect(r.error?["code"] == "payload_too_large")
            #expect(r.error?["param"] == "image")
        }
    }

    @Test func unknownImageNamesAre404() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            for name in [
                "nope.png", "1024x1024-zz.png", "0x0-0000000000000000.png", "99999x99999-0000000000000000.png", "16x16-0000000000000001.gif",
            ] {
                let r = try await client.get("/fakelab/images/\(name)", key: nil)
                #expect(r.status == 404, "\(name)")
            }
        }
    }
}

@Suite struct UsageEchoTests {
    @Test func usageEchoIsOptIn() async throws {
        let body: JSONValue = ["model": "gpt-image-2", "prompt": "cup", "size": "1536x1024"]
        let plain = try await testApplication(try testConfiguration()).test(.router) { client in
            try await client.postJSON("/v1/images/generations", body).json
        }
        #expect(plain["usage"] == nil)
        var config = try testConfiguration()
        config.usageEcho = true
        let echoed = try await testApplication(config).test(.router) { client in
            try await client.postJSON("/v1/images/generations", body).json
        }
        #expect(echoed["size"] == "1536x1024")
        #expect(echoed["usage"]?["total_tokens"]?.intValue != nil)
    }
}
