import FakelabAPI
import FakelabImaging
import FakelabServer
import FakelabTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// Edits and image-to-image results are made from the client's pixels, visibly and deterministically.
@Suite struct DerivedImageTests {
    static func solid(_ w: Int, _ h: Int, _ rgb: (UInt8, UInt8, UInt8)) -> [UInt8] {
        PNGCodec.encode(PixelBuffer(width: w, height: h, channels: 3, bytes: (0..<(w * h)).flatMap { _ in [rgb.0, rgb.1, rgb.2] }))
    }

    /// RGBA mask: transparent (to edit) where `x < w / 2`.
    static func leftHalfMask(_ w: Int, _ h: Int) -> [UInt8] {
        var px: [UInt8] = []
        for _ in 0..<h { for x in 0..<w { px += [0, 0, 0, x < w / 2 ? 0 : 255] } }
        return PNGCodec.encode(PixelBuffer(width: w, height: h, channels: 4, bytes: px))
    }

    func fetchPixels(_ response: FakeResponse, _ client: some TestClientProtocol) async throws -> PixelBuffer {
        let url = try #require(response.json["data"]?.arrayValue?.first?["url"]?.stringValue, "\(response.json)")
        let image = try await client.get(String(url[url.range(of: "/fakelab/")!.lowerBound...]), key: nil)
        #expect(image.status == 200)
        return try ImageCodec.decode(image.bytes).0
    }

    @Test func editKeepsTheInputSizeAndRecoloursItsPixels() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let a = try await client.postForm(
                "/v1/images/edits",
                [.text("model", "gpt-image-2"), .text("prompt", "blue"), .file("image", "a.png", Self.solid(64, 48, (200, 100, 50)))]
            )
            let b = try await client.postForm(
                "/v1/images/edits",
                [.text("model", "gpt-image-2"), .text("prompt", "blue"), .file("image", "b.png", Self.solid(64, 48, (10, 220, 90)))]
            )
            let pa = try await fetchPixels(a, client)
            let pb = try await fetchPixels(b, client)
            #expect(pa.width == 64 && pa.height == 48)
            // A uniform input gives a uniform output (a synthesized picture never is) ...
            #expect(pa.rgba(x: 0, y: 0) == pa.rgba(x: 63, y: 47))
            // ... and a different input a different output.
            #expect(pa.rgba(x: 5, y: 5) != pb.rgba(x: 5, y: 5))
        }
    }

    @Test func theMasksTransparentAreaIsRepainted() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/edits",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "x"),
                    .file("image", "in.png", Self.solid(64, 64, (200, 100, 50))), .file("mask", "mask.png", Self.leftHalfMask(64, 64)),
                ]
            )
            let p = try await fetchPixels(r, client)
            let kept = p.rgba(x: 40, y: 10)
            #expect(p.rgba(x: 63, y: 63) == kept, "the opaque half keeps the recoloured input")
            let left = (0..<32).flatMap { x in (0..<64).map { y in p.rgba(x: x, y: y) } }
            #expect(left.contains { $0 != kept }, "the transparent half was repainted")
        }
    }

    @Test func aMaskOfAnotherSizeIsRefused() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/edits",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "x"),
                    .file("image", "in.png", Self.solid(64, 64, (1, 2, 3))), .file("mask", "mask.png", Self.leftHalfMask(32, 32)),
                ]
            )
            #expect(r.status == 400)
            #expect(r.error?["param"] == "mask")
        }
    }

    @Test func imageToImageUsesTheRequestedSize() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/generations",
                [
                    .text("model", "nano-banana-pro"), .text("prompt", "x"), .text("operation", "image-to-image"), .text("aspect_ratio", "16:9"),
                    .file("image", "in.png", Self.solid(100, 100, (200, 100, 50))),
                ]
            )
            let p = try await fetchPixels(r, client)
            #expect(p.width == 1344 && p.height == 768)
            #expect(p.rgba(x: 0, y: 0) == p.rgba(x: 1343, y: 767))
        }
    }
}

@Suite struct LargeUploadTests {
    @Test func aPartPastTheSpillThresholdArrivesIntact() async throws {
        // 1200x1200 noise: a PNG over 4 MiB, so the part goes through the temporary file.
        var rng = SplitMix64(seed: 11)
        let noise = (0..<(1200 * 1200 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let png = PNGCodec.encode(PixelBuffer(width: 1200, height: 1200, channels: 3, bytes: noise), level: 0)
        #expect(png.count > 4 << 20)
        try await testApplication(try testConfiguration()).test(.router) { client in
            let up = try await client.postForm("/v1/files", [.file("file", "big.png", png), .text("purpose", "user_data")])
            #expect(up.status == 200)
            #expect(up.json["bytes"]?.intValue == png.count, "every byte arrived")
        }
    }
}
