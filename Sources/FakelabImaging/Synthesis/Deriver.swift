import FakelabAPI

/// Results made from the client's pixels, by the model's catalog `derivation`:
/// - `recolour`: the first input resized (nearest neighbour) to the output size and recoloured in
///   a visible, deterministic way (channels rotated and tinted from the seed); where a mask is
///   fully transparent, the picture is repainted with synthesized content. A client test can tell
///   that its image was used, and that its mask was.
/// - `remove_background`: the input at its own size with its background made transparent (RGBA).
/// - `upscale`: the input scaled to the output size, its pixels kept (nearest neighbour).
public enum Deriver {
    public static func derive(
        _ kind: Derivation,
        _ input: PixelBuffer,
        mask: PixelBuffer?,
        width: Int,
        height: Int,
        seed: UInt64
    ) -> PixelBuffer {
        switch kind {
        case .recolour: derive(input, mask: mask, width: width, height: height, seed: seed)
        case .removeBackground: BackgroundRemover.remove(input)
        case .upscale: resized(input, width: width, height: height)
        }
    }

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

    /// `input` at `width`×`height`, nearest neighbour, same channels: every output pixel is an input pixel.
    public static func resized(_ input: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        let c = input.channels
        var out = [UInt8](repeating: 0, count: width * height * c)
        input.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = (y * input.height / height) * input.width
                    for x in 0..<width {
                        let s = (row + x * input.width / width) * c
                        let d = (y * width + x) * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return PixelBuffer(width: width, height: height, channels: c, bytes: out)
    }
}

/// Background removal as a fake can do it: the background is the most common colour of the
/// image's border; pixels close to it become transparent (a soft edge in between), the rest keep
/// their colour, fully opaque. The output is RGBA at the input's size.
public enum BackgroundRemover {
    /// Channel distance at or below which a pixel is background (alpha 0).
    public static let tolerance = 24
    /// Distance from which a pixel is foreground (alpha 255); alpha ramps in between.
    public static let edge = 48

    public static func remove(_ input: PixelBuffer) -> PixelBuffer {
        let bg = borderColour(input)
        var out = [UInt8](repeating: 0, count: input.width * input.height * 4)
        for y in 0..<input.height {
            for x in 0..<input.width {
                let p = input.rgba(x: x, y: y)
                let d = max(abs(Int(p.r) - bg.0), abs(Int(p.g) - bg.1), abs(Int(p.b) - bg.2))
                let alpha = d <= tolerance ? 0 : d >= edge ? Int(p.a) : Int(p.a) * (d - tolerance) / (edge - tolerance)
                let o = (y * input.width + x) * 4
                out[o] = p.r
                out[o + 1] = p.g
                out[o + 2] = p.b
                out[o + 3] = UInt8(alpha)
            }
        }
        return PixelBuffer(width: input.width, height: input.height, channels: 4, bytes: out)
    }

    /// The most frequent colour (5 bits a channel) among the border pixels, as its mean colour.
    static func borderColour(_ image: PixelBuffer) -> (Int, Int, Int) {
        var counts: [Int: (n: Int, r: Int, g: Int, b: Int)] = [:]
        func add(_ x: Int, _ y: Int) {
            let p = image.rgba(x: x, y: y)
            let key = Int(p.r >> 3) << 10 | Int(p.g >> 3) << 5 | Int(p.b >> 3)
            let c = counts[key] ?? (0, 0, 0, 0)
            counts[key] = (c.n + 1, c.r + Int(p.r), c.g + Int(p.g), c.b + Int(p.b))
        }
        for x in 0..<image.width {
            add(x, 0)
            add(x, image.height - 1)
        }
        for y in 0..<image.height {
            add(0, y)
            add(image.width - 1, y)
        }
        // Ties go to the smaller key: the same image always gives the same background.
        guard let best = counts.max(by: { a, b in a.value.n != b.value.n ? a.value.n < b.value.n : a.key > b.key })?.value else {
            return (255, 255, 255)
        }
        return (best.r / best.n, best.g / best.n, best.b / best.n)
    }
}
