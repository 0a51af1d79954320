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
        var offset = 8
        var width = 0
        var height = 0
        var depth = 0
        var colorType = 0
        var interlace = 0
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var idat: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = Int(bytes.readBigEndian(at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= bytes.count else { throw ImagingError.undecodable("truncated PNG chunk \(type)") }
            let data = bytes[start..<(start + length)]
            switch type {
            case "IHDR":
                guard length == 13 else { throw ImagingError.undecodable("bad IHDR") }
                width = Int(bytes.readBigEndian(at: start))
                height = Int(bytes.readBigEndian(at: start + 4))
                depth = Int(data[data.startIndex + 8])
                colorType = Int(data[data.startIndex + 9])
                interlace = Int(data[data.startIndex + 12])
            case "PLTE": palette = Array(data)
            case "tRNS": transparency = Array(data)
            case "IDAT": idat += data
            case "IEND": offset = bytes.count
            default: break
            }
            offset = start + length + 4
        }
        let area = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !area.overflow, area.partialValue <= maxPixels else {
            throw ImagingError.undecodable("PNG dimensions \(width)x\(height) out of range")
        }
        guard depth == 8, interlace == 0 else {
            throw ImagingError.unsupported("only 8-bit non-interlaced PNGs are decoded (got depth \(depth), interlace \(interlace))")
        }
        let samples: Int
        switch colorType {
        case 0: samples = 1
        case 2: samples = 3
        case 3: samples = 1
        case 4: samples = 2
        case 6: samples = 4
        default: throw ImagingError.unsupported("unknown PNG colour type \(colorType)")
        }
        let stride = width * samples
        let raw = try inflate(idat, expected: (stride + 1) * height)
        guard raw.count >= (stride + 1) * height else { throw ImagingError.undecodable("PNG image data is truncated") }
        var pixels = [UInt8](repeating: 0, count: stride * height)
        try unfilter(raw, into: &pixels, stride: stride, height: height, bpp: samples)
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
