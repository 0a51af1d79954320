import FakelabAPI

/// What to draw: the same spec always gives the same bytes.
public struct ImageSpec: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    public var seed: UInt64
    /// JPEG/WebP quality (0–100), from `output_compression`.
    public var quality: Int?

    public init(width: Int, height: Int, format: ImageFormat, seed: UInt64, quality: Int? = nil) {
        self.width = width
        self.height = height
        self.format = format
        self.seed = seed
        self.quality = quality
    }
}

/// Deterministic synthetic pictures: a diagonal two-colour gradient, a disc and a band, with
/// colours and positions drawn from the seed, so different requests give visibly different images.
public enum Synthesizer {
    public static func render(_ spec: ImageSpec) throws(ImagingError) -> [UInt8] {
        try ImageCodec.encode(pixels(spec), as: spec.format, quality: spec.quality)
    }

    public static func pixels(_ spec: ImageSpec) -> PixelBuffer {
        var rng = SplitMix64(seed: spec.seed)
        let a = color(&rng)
        let b = color(&rng)
        let c = color(&rng)
        let w = spec.width
        let h = spec.height
        let cx = Int(rng.next() % UInt64(max(w, 1)))
        let cy = Int(rng.next() % UInt64(max(h, 1)))
        let radius = max(4, min(w, h) / 4 + Int(rng.next() % UInt64(max(min(w, h) / 4, 1))))
        let r2 = radius * radius
        let bandY = Int(rng.next() % UInt64(max(h, 1)))
        let bandH = max(2, h / 16)
        let span = max(w + h - 2, 1)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        out.withUnsafeMutableBufferPointer { p in
            for y in 0..<h {
                let dy = y - cy
                let inBand = y >= bandY && y < bandY + bandH
                var i = y * w * 3
                for x in 0..<w {
                    let t = (x + y) * 255 / span
                    var r = (Int(a.0) * (255 - t) + Int(b.0) * t) / 255
                    var g = (Int(a.1) * (255 - t) + Int(b.1) * t) / 255
                    var bl = (Int(a.2) * (255 - t) + Int(b.2) * t) / 255
                    let dx = x - cx
                    if dx * dx + dy * dy <= r2 {
                        r = Int(c.0)
                        g = Int(c.1)
                        bl = Int(c.2)
                    }
                    if inBand {
                        r = 255 - r
                        g = 255 - g
                        bl = 255 - bl
                    }
                    p[i] = UInt8(r)
                    p[i + 1] = UInt8(g)
                    p[i + 2] = UInt8(bl)
                    i += 3
                }
            }
        }
        return PixelBuffer(width: w, height: h, channels: 3, bytes: out)
    }

    private static func color(_ rng: inout SplitMix64) -> (UInt8, UInt8, UInt8) {
        let v = rng.next()
        return (UInt8(truncatingIfNeeded: v) | 0x20, UInt8(truncatingIfNeeded: v >> 8) | 0x20, UInt8(truncatingIfNeeded: v >> 16) | 0x20)
    }
}
