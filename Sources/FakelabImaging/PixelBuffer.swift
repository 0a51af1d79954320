/// 8-bit RGB or RGBA pixels, row-major, no padding.
public struct PixelBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 3 (RGB) or 4 (RGBA).
    public let channels: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
        precondition(channels == 3 || channels == 4)
        precondition(bytes.count == width * height * channels)
        self.width = width
        self.height = height
        self.channels = channels
        self.bytes = bytes
    }

    /// The pixel at (x, y) as RGBA (alpha 255 for RGB buffers).
    public func rgba(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        let i = (y * width + x) * channels
        return (bytes[i], bytes[i + 1], bytes[i + 2], channels == 4 ? bytes[i + 3] : 255)
    }

    /// The same pixels without alpha.
    public func rgb() -> PixelBuffer {
        guard channels == 4 else { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            out[p * 3] = bytes[p * 4]
            out[p * 3 + 1] = bytes[p * 4 + 1]
            out[p * 3 + 2] = bytes[p * 4 + 2]
        }
        return PixelBuffer(width: width, height: height, channels: 3, bytes: out)
    }
}

/// An image format error with what went wrong.
public struct ImagingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
