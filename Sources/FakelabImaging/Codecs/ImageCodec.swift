import FakelabAPI

/// One entry point over the three codecs, by `ImageFormat`.
public enum ImageCodec {
    public static func encode(_ image: PixelBuffer, as format: ImageFormat, quality: Int? = nil) throws(ImagingError) -> [UInt8] {
        switch format {
        case .png: PNGCodec.encode(image)
        case .jpeg: try JPEGCodec.encode(image.rgb(), quality: quality ?? 85)
        case .webp: try WebPCodec.encode(image, quality: quality ?? 80)
        }
    }

    /// Decodes whatever format the bytes really are (sniffed, not trusted from a name).
    public static func decode(_ bytes: [UInt8], maxPixels: Int = 100_000_000) throws(ImagingError) -> (PixelBuffer, ImageFormat) {
        switch ImageFormat.sniff(bytes) {
        case .png: (try PNGCodec.decode(bytes, maxPixels: maxPixels), .png)
        case .jpeg: (try JPEGCodec.decode(bytes, maxPixels: maxPixels), .jpeg)
        case .webp: (try WebPCodec.decode(bytes, maxPixels: maxPixels), .webp)
        case nil: throw ImagingError.unknownFormat("not a PNG, JPEG or WebP image")
        }
    }

    /// Dimensions from the header alone.
    public static func dimensions(_ bytes: [UInt8]) -> (format: ImageFormat, width: Int, height: Int)? {
        switch ImageFormat.sniff(bytes) {
        case .png: PNGCodec.dimensions(bytes).map { (.png, $0.width, $0.height) }
        case .jpeg: JPEGCodec.dimensions(bytes).map { (.jpeg, $0.width, $0.height) }
        case .webp: WebPCodec.dimensions(bytes).map { (.webp, $0.width, $0.height) }
        case nil: nil
        }
    }
}
