import CJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API (errors are returned, never `exit()`ed as the
/// classic libjpeg error manager does without setjmp, which Swift cannot use).
public enum JPEGCodec {
    public static func encode(_ image: PixelBuffer, quality: Int = 85) throws(ImagingError) -> [UInt8] {
        guard let handle = tjInitCompress() else { throw ImagingError.codecFailed("tjInitCompress failed") }
        defer { tjDestroy(handle) }
        var jpeg: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let format = image.channels == 4 ? TJPF_RGBA : TJPF_RGB
        let status = image.bytes.withUnsafeBufferPointer { src in
            tjCompress2(
                handle,
                src.baseAddress,
                Int32(image.width),
                0,
                Int32(image.height),
                Int32(format.rawValue),
                &jpeg,
                &size,
                Int32(TJSAMP_420.rawValue),
                Int32(max(1, min(100, quality))),
                TJFLAG_FASTDCT
            )
        }
        defer { tjFree(jpeg) }
        guard status == 0, let jpeg else { throw ImagingError.codecFailed("JPEG encode failed: \(String(cString: tjGetErrorStr2(handle)))") }
        return Array(UnsafeBufferPointer(start: jpeg, count: Int(size)))
    }

    public static func dimensions(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard let handle = tjInitDecompress() else { return nil }
        defer { tjDestroy(handle) }
        var w: Int32 = 0
        var h: Int32 = 0
        var sub: Int32 = 0
        var space: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &w, &h, &sub, &space) }
        return status == 0 ? (Int(w), Int(h)) : nil
    }

    public static func decode(_ bytes: [UInt8], maxPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        guard let handle = tjInitDecompress() else { throw ImagingError.codecFailed("tjInitDecompress failed") }
        defer { tjDestroy(handle) }
        var w: Int32 = 0
        var h: Int32 = 0
        var sub: Int32 = 0
        var space: Int32 = 0
        var status = bytes.withUnsafeBufferPointer { tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &w, &h, &sub, &space) }
        guard status == 0, w > 0, h > 0, Int(w) * Int(h) <= maxPixels else { throw ImagingError.undecodable("not a decodable JPEG") }
        var out = [UInt8](repeating: 0, count: Int(w) * Int(h) * 3)
        status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                tjDecompress2(handle, src.baseAddress, UInt(src.count), dst.baseAddress, w, 0, h, Int32(TJPF_RGB.rawValue), 0)
            }
        }
        guard status == 0 else { throw ImagingError.undecodable("JPEG decode failed: \(String(cString: tjGetErrorStr2(handle)))") }
        return PixelBuffer(width: Int(w), height: Int(h), channels: 3, bytes: out)
    }
}
