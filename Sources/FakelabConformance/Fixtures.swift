import FakelabAPI
import FakelabImaging
import Foundation

/// Input images a job names by recipe (`{"fixture": "png:256x256"}`, `{"fixture": "mask:256x256"}`),
/// written as real files before the client starts; and thumbnails for the report.
enum Fixtures {
    static func materialize(_ item: JSONValue, in dir: URL) throws -> JSONValue {
        guard let recipe = item["fixture"]?.stringValue else { return item }
        let parts = recipe.split(separator: ":")
        let size = parts.count == 2 ? parts[1].split(separator: "x").compactMap { Int($0) } : []
        guard parts.count == 2, size.count == 2, (1...4096).contains(size[0]), (1...4096).contains(size[1]) else {
            throw ConformanceError.fixture(recipe, "expected png:WxH or mask:WxH")
        }
        let (w, h) = (size[0], size[1])
        let pixels: PixelBuffer
        switch parts[0] {
        case "png":
            var bytes: [UInt8] = []
            bytes.reserveCapacity(w * h * 3)
            for y in 0..<h { for x in 0..<w { bytes += [UInt8(x * 255 / max(1, w - 1)), UInt8(y * 255 / max(1, h - 1)), 140] } }
            pixels = PixelBuffer(width: w, height: h, channels: 3, bytes: bytes)
        case "mask":
            var bytes: [UInt8] = []
            for _ in 0..<h { for x in 0..<w { bytes += [0, 0, 0, x < w / 2 ? 0 : 255] } }
            pixels = PixelBuffer(width: w, height: h, channels: 4, bytes: bytes)
        default:
            throw ConformanceError.fixture(recipe, "unknown kind '\(parts[0])'")
        }
        let file = dir.appendingPathComponent("\(parts[0])-\(w)x\(h).png")
        try Data(PNGCodec.encode(pixels)).write(to: file)
        return ["path": .string(file.path), "content_type": "image/png"]
    }

    /// At most 96 px on the long edge (nearest neighbour), as PNG.
    static func thumbnail(_ p: PixelBuffer) -> [UInt8] {
        let scale = max(1, Double(max(p.width, p.height)) / 96)
        let w = max(1, Int(Double(p.width) / scale))
        let h = max(1, Int(Double(p.height) / scale))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(w * h * p.channels)
        for y in 0..<h {
            let sy = min(p.height - 1, Int(Double(y) * scale))
            for x in 0..<w {
                let sx = min(p.width - 1, Int(Double(x) * scale))
                let i = (sy * p.width + sx) * p.channels
                bytes += p.bytes[i..<(i + p.channels)]
            }
        }
        return PNGCodec.encode(PixelBuffer(width: w, height: h, channels: p.channels, bytes: bytes))
    }
}
