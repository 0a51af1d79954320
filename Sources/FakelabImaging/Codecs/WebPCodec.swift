import CWebP

/// WebP through libwebp (lossy at the given quality).
public enum WebPCodec {
    public static func encode(_ image: PixelBuffer, quality: Int = 80) throws(ImagingError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>? = nil
        let q = Float(max(0, min(100, quality)))
        let size = image.bytes.withUnsafeBufferPointer { src in
            image.channels == 4
                ? WebPEncodeRGBA(src.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 4), q, &output)
                : WebPEncodeRGB(src.baseAddress, Int32(image.width), Int32(image.height), Int32(image.width * 3), q, &output)
        }
        defer { WebPFree(output) }
        guard size > 0, let output else { throw ImagingError.codecFailed("WebP encode failed") }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    public static func dimensions(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var w: Int32 = 0
        var h: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { WebPGetInfo($0.baseAddress, $0.count, &w, &h) }
        return ok != 0 ? (Int(w), Int(h)) : nil
    }

    public static func decode(_ bytes: [UInt8], maxPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        guard let (w, h) = dimensions(bytes), w * h <= maxPixels else { throw ImagingError.undecodable("not a decodable WebP") }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        let result = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                WebPDecodeRGBInto(src.baseAddress, src.count, dst.baseAddress, dst.count, Int32(w * 3))
            }
        }
        guard result != nil else { throw ImagingError.undecodable("WebP decode failed") }
        return PixelBuffer(width: w, height: h, channels: 3, bytes: out)
    }
}
