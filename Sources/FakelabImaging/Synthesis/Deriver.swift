import FakelabAPI

/// Edited and image-to-image results: the first input, resized (nearest neighbour) to the output
/// size and recoloured in a visible, deterministic way (channels rotated and tinted from the
/// seed); where a mask is fully transparent, the picture is repainted with synthesized content.
/// A client test can tell that its image was used, and that its mask was.
public enum Deriver {
    public static func derive(_ input: PixelBuffer, mask: PixelBuffer?, width: Int, height: Int, seed: UInt64) -> PixelBuffer {
        var rng = SplitMix64(seed: seed)
        let t = rng.next()
        let tint = (Int(t & 0x3F), Int(t >> 8 & 0x3F), Int(t >> 16 & 0x3F))
        let fill = Synthesizer.pixels(ImageSpec(width: width, height: height, format: .png, seed: seed))
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let sy = y * input.height / height
            let my = mask.map { y * $0.height / height }
            for x in 0..<width {
                let o = (y * width + x) * 3
                if let mask, let my, mask.rgba(x: x * mask.width / width, y: my).a == 0 {
                    out[o] = fill.bytes[o]
                    out[o + 1] = fill.bytes[o + 1]
                    out[o + 2] = fill.bytes[o + 2]
                    continue
                }
                let p = input.rgba(x: x * input.width / width, y: sy)
                out[o] = UInt8((Int(p.g) * 3 + tint.0 * 4) / 4 & 0xFF)
                out[o + 1] = UInt8((Int(p.b) * 3 + tint.1 * 4) / 4 & 0xFF)
                out[o + 2] = UInt8((Int(p.r) * 3 + tint.2 * 4) / 4 & 0xFF)
            }
        }
        return PixelBuffer(width: width, height: height, channels: 3, bytes: out)
    }
}
