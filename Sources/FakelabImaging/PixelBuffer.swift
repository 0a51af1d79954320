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

/// An image that cannot be decoded or encoded, with what went wrong. Kinds compare equal whatever
/// their details (`error == .unknownFormat`), as AsyncHTTPClient's `HTTPClientError` does.
public struct ImagingError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case unknownFormat, undecodable, unsupported, codecFailed
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: ImagingError, rhs: ImagingError) -> Bool { lhs.code == rhs.code }

    /// The bytes are not a PNG, JPEG or WebP image.
    public static var unknownFormat: ImagingError { ImagingError(.unknownFormat, "not a PNG, JPEG or WebP image") }
    /// The bytes are not a sound image of the format (truncated, corrupt, too many pixels).
    public static var undecodable: ImagingError { ImagingError(.undecodable, "the image cannot be decoded") }
    /// A sound image of a variant the decoder does not read (bit depth, interlacing, colour type).
    public static var unsupported: ImagingError { ImagingError(.unsupported, "the image variant is not decoded") }
    /// The codec library failed (initialisation or encoding).
    public static var codecFailed: ImagingError { ImagingError(.codecFailed, "the codec failed") }

    static func unknownFormat(_ problem: String) -> ImagingError { ImagingError(.unknownFormat, problem) }
    static func undecodable(_ problem: String) -> ImagingError { ImagingError(.undecodable, problem) }
    static func unsupported(_ problem: String) -> ImagingError { ImagingError(.unsupported, problem) }
    static func codecFailed(_ problem: String) -> ImagingError { ImagingError(.codecFailed, problem) }
}
