import CZlib

/// PNG encoding (filter type 1 "sub" on every row, zlib deflate) and decoding of 8-bit
/// grey, grey+alpha, RGB, RGBA and palette images, non-interlaced.
public enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func encode(_ image: PixelBuffer, level: Int32 = 1) -> [UInt8] {
        let stride = image.width * image.channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * image.height)
        image.bytes.withUnsafeBufferPointer { src in
            raw.withUnsafeMutableBufferPointer { dst in
                let c = image.channels
                for y in 0..<image.height {
                    let row = y * stride
                    let out = y * (stride + 1)
                    dst[out] = 1
                    for i in 0..<c { dst[out + 1 + i] = src[row + i] }
                    for i in c..<stride { dst[out + 1 + i] = src[row + i] &- src[row + i - c] }
                }
            }
        }
        var out = signature
        var ihdr: [UInt8] = []
        ihdr.appendBigEndian(UInt32(image.width))
        ihdr.appendBigEndian(UInt32(image.height))
        ihdr += [8, image.channels == 4 ? 6 : 2, 0, 0, 0]
        appendChunk("IHDR", ihdr, to: &out)
        appendChunk("IDAT", deflate(raw, level: level), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// Width and height from the IHDR chunk, without decoding.
    public static func dimensions(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 24, bytes.starts(with: signature), bytes[12..<16].elementsEqual("IHDR".utf8) else { return nil }
        return (Int(bytes.readBigEndian(at: 16)), Int(bytes.readBigEndian(at: 20)))
    }

    /// Decodes to RGB or RGBA. `maxPixels` guards against decompression bombs.
    public static func decode(_ bytes: [UInt8], maxPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        guard bytes.starts(with: signature) else { throw ImagingError.undecodable("not a PNG") }
        let png = try readChunks(bytes)
        let samples = try samplesPerPixel(png, maxPixels: maxPixels)
        let stride = png.width * samples
        let raw = try inflate(png.idat, expected: (stride + 1) * png.height)
        guard raw.count >= (stride + 1) * png.height else { throw ImagingError.undecodable("PNG image data is truncated") }
        var pixels = [UInt8](repeating: 0, count: stride * png.height)
        try unfilter(raw, into: &pixels, stride: stride, height: png.height, bpp: samples)
        return try expand(pixels, png, samples: samples)
    }

    /// What decoding takes from a PNG's chunks: the IHDR fields, the palette and its
    /// transparency, and the image data of every IDAT chunk joined.
    private struct Chunks {
        var width = 0
        var height = 0
        var depth = 0
        var colorType = 0
        var interlace = 0
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var idat: [UInt8] = []
    }

    /// Walks the chunks after the signature, keeping the ones decoding needs.
    private static func readChunks(_ bytes: [UInt8]) throws(ImagingError) -> Chunks {
        var png = Chunks()
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes.readBigEndian(at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= bytes.count else { throw ImagingError.undecodable("truncated PNG chunk \(type)") }
            let data = bytes[start..<(start + length)]
            switch type {
            case "IHDR":
                guard length == 13 else { throw ImagingError.undecodable("bad IHDR") }
                png.width = Int(bytes.readBigEndian(at: start))
                png.height = Int(bytes.readBigEndian(at: start + 4))
                png.depth = Int(data[data.startIndex + 8])
                png.colorType = Int(data[data.startIndex + 9])
                png.interlace = Int(data[data.startIndex + 12])
            case "PLTE": png.palette = Array(data)
            case "tRNS": png.transparency = Array(data)
            case "IDAT": png.idat += data
            case "IEND": return png  // what follows the last chunk is not read
            default: break
            }
            offset = start + length + 4
        }
        return png
    }

    /// Checks the header is one this codec decodes (size within `maxPixels`, 8-bit,
    /// non-interlaced, a known colour type); returns the samples per pixel of its colour type.
    private static func samplesPerPixel(_ png: Chunks, maxPixels: Int) throws(ImagingError) -> Int {
        let area = png.width.multipliedReportingOverflow(by: png.height)
        guard png.width > 0, png.height > 0, !area.overflow, area.partialValue <= maxPixels else {
            throw ImagingError.undecodable("PNG dimensions \(png.width)x\(png.height) out of range")
        }
        guard png.depth == 8, png.interlace == 0 else {
            throw ImagingError.unsupported("only 8-bit non-interlaced PNGs are decoded (got depth \(png.depth), interlace \(png.interlace))")
        }
        switch png.colorType {
        case 0: return 1
        case 2: return 3
        case 3: return 1
        case 4: return 2
        case 6: return 4
        default: throw ImagingError.unsupported("unknown PNG colour type \(png.colorType)")
        }
    }

    /// Expands unfiltered samples to RGB, or RGBA when the image has alpha or a transparency chunk.
    private static func expand(_ pixels: [UInt8], _ png: Chunks, samples: Int) throws(ImagingError) -> PixelBuffer {
        let (width, height, colorType) = (png.width, png.height, png.colorType)
        let palette = png.palette
        let transparency = png.transparency
        let hasAlpha = colorType == 4 || colorType == 6 || !transparency.isEmpty
        let channels = hasAlpha ? 4 : 3
        var out = [UInt8](repeating: 255, count: width * height * channels)
        for p in 0..<(width * height) {
            let o = p * channels
            let s = p * samples
            switch colorType {
            case 0, 4:
                out[o] = pixels[s]
                out[o + 1] = pixels[s]
                out[o + 2] = pixels[s]
                if colorType == 4 { out[o + 3] = pixels[s + 1] }
            case 3:
                let index = Int(pixels[s])
                guard index * 3 + 2 < palette.count else { throw ImagingError.undecodable("PNG palette index out of range") }
                out[o] = palette[index * 3]
                out[o + 1] = palette[index * 3 + 1]
                out[o + 2] = palette[index * 3 + 2]
                if hasAlpha { out[o + 3] = index < transparency.count ? transparency[index] : 255 }
            default:
                out[o] = pixels[s]
                out[o + 1] = pixels[s + 1]
                out[o + 2] = pixels[s + 2]
                if colorType == 6 { out[o + 3] = pixels[s + 3] }
            }
        }
        return PixelBuffer(width: width, height: height, channels: channels, bytes: out)
    }

    private static func unfilter(_ raw: [UInt8], into out: inout [UInt8], stride: Int, height: Int, bpp: Int) throws(ImagingError) {
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let src = y * (stride + 1) + 1
            let dst = y * stride
            for x in 0..<stride {
                let a = x >= bpp ? Int(out[dst + x - bpp]) : 0
                let b = y > 0 ? Int(out[dst + x - stride]) : 0
                let c = x >= bpp && y > 0 ? Int(out[dst + x - stride - bpp]) : 0
                let v = Int(raw[src + x])
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a)
                    let pb = abs(p - b)
                    let pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw ImagingError.undecodable("bad PNG filter type \(filter)")
                }
                out[dst + x] = UInt8(truncatingIfNeeded: v + predicted)
            }
        }
    }

    static func deflate(_ input: [UInt8], level: Int32) -> [UInt8] {
        var destLength = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(destLength))
        let status = out.withUnsafeMutableBufferPointer { dst in
            input.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &destLength, src.baseAddress, uLong(input.count), level)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        out.removeSubrange(Int(destLength)...)
        return out
    }

    static func inflate(_ input: [UInt8], expected: Int) throws(ImagingError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expected)
        var destLength = uLong(expected)
        let status = out.withUnsafeMutableBufferPointer { dst in
            input.withUnsafeBufferPointer { src in
                uncompress(dst.baseAddress, &destLength, src.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK || status == Z_BUF_ERROR, Int(destLength) == expected else {
            throw ImagingError.undecodable("PNG image data does not inflate (zlib \(status))")
        }
        return out
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        out.appendBigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        out += typeBytes
        out += data
        var crc = crc32(0, typeBytes, UInt32(typeBytes.count))
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, UInt32(data.count)) }
        out.appendBigEndian(UInt32(crc))
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)])
    }

    func readBigEndian(at i: Int) -> UInt32 {
        UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }
}
