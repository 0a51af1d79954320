import FakelabAPI
import Testing

@testable import FakelabImaging

@Suite struct CodecTests {
    @Test(arguments: ImageFormat.allCases)
    func renderedImagesDecodeAtTheirExactSize(format: ImageFormat) throws {
        let spec = ImageSpec(width: 320, height: 176, format: format, seed: 42)
        let bytes = try Synthesizer.render(spec)
        #expect(ImageFormat.sniff(bytes) == format)
        let (pixels, decodedFormat) = try ImageCodec.decode(bytes)
        #expect(decodedFormat == format)
        #expect(pixels.width == 320 && pixels.height == 176)
        let header = try #require(ImageCodec.dimensions(bytes))
        #expect(header.width == 320 && header.height == 176)
    }

    @Test func pngRoundTripsLosslessly() throws {
        let pixels = Synthesizer.pixels(ImageSpec(width: 37, height: 23, format: .png, seed: 7))
        let decoded = try PNGCodec.decode(PNGCodec.encode(pixels))
        #expect(decoded == pixels)
    }

    /// What follows IEND is not the image: trailing bytes (a broken chunk here) are not read.
    @Test func bytesAfterTheLastChunkAreIgnored() throws {
        let pixels = Synthesizer.pixels(ImageSpec(width: 9, height: 5, format: .png, seed: 4))
        let trailing = PNGCodec.encode(pixels) + [0, 0, 0, 200] + Array("IDATjunk".utf8)
        #expect(try PNGCodec.decode(trailing) == pixels)
    }

    @Test func sameSpecSameBytesOtherSeedOtherPicture() throws {
        let a = try Synthesizer.render(ImageSpec(width: 64, height: 64, format: .png, seed: 1))
        let b = try Synthesizer.render(ImageSpec(width: 64, height: 64, format: .png, seed: 1))
        let c = try Synthesizer.render(ImageSpec(width: 64, height: 64, format: .png, seed: 2))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func garbageIsRefusedNotCrashedOn() {
        #expect(throws: ImagingError.unknownFormat) { try ImageCodec.decode(Array("hello".utf8)) }
        var truncated = PNGCodec.encode(Synthesizer.pixels(ImageSpec(width: 16, height: 16, format: .png, seed: 3)))
        truncated.removeLast(30)
        #expect(throws: ImagingError.undecodable) { try PNGCodec.decode(truncated) }
        #expect(throws: ImagingError.undecodable) { try JPEGCodec.decode([0xFF, 0xD8, 0xFF, 0x00, 0x01]) }
        #expect(throws: ImagingError.undecodable) { try WebPCodec.decode(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) }
    }

    @Test func aSoundImageOfAnUnreadVariantIsNotCalledCorrupt() {
        var png = PNGCodec.encode(Synthesizer.pixels(ImageSpec(width: 8, height: 8, format: .png, seed: 3)))
        png[24] = 16  // IHDR bit depth
        let error = #expect(throws: ImagingError.unsupported) { try PNGCodec.decode(png) }
        #expect(error?.description == "only 8-bit non-interlaced PNGs are decoded (got depth 16, interlace 0)")
        #expect(error != .undecodable)
    }

    @Test func decompressionBombsAreRefusedByDimension() throws {
        var png = PNGCodec.encode(Synthesizer.pixels(ImageSpec(width: 8, height: 8, format: .png, seed: 3)))
        // Claim 100000 x 100000 in IHDR: refused before inflating anything.
        png.replaceSubrange(16..<24, with: [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0])
        #expect(throws: ImagingError.undecodable) { try PNGCodec.decode(png) }
    }
}

@Suite struct HostileImageTests {
    @Test func absurdHeaderDimensionsAreRefusedNotATrap() throws {
        var png = PNGCodec.encode(Synthesizer.pixels(ImageSpec(width: 4, height: 4, format: .png, seed: 1)))
        png.replaceSubrange(16..<24, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: ImagingError.self) { try PNGCodec.decode(png) }
        #expect(throws: ImagingError.self) { try ImageCodec.decode(png) }
    }
}
