import FakelabAPI
import FakelabImaging

/// A result image's public name: the spec itself, so `/fakelab/images/{name}` is stable across
/// restarts and needs no server-side state: `{W}x{H}-{seed hex}[-q{quality}].{png|jpg|webp}`.
enum ResultImage {
    static let routePrefix = "/fakelab/images/"
    /// Where `expired_url` faults point result URLs: always 404, as an expired CDN link would.
    static let expiredPrefix = "/fakelab/expired/"

    /// A result's name as stored (a task keeps these, not strings): its spec, and whether its
    /// pixels were derived from an upload (then the name says so and only the cache has them).
    struct Name: Sendable {
        var spec: ImageSpec
        var derived = false

        var text: String { ResultImage.text(spec, derived: derived) }

        /// `prefix` and the name, as one string (a result URL), written once.
        func url(_ prefix: String) -> String { ResultImage.text(spec, derived: derived, after: prefix) }
    }

    static func name(_ spec: ImageSpec) -> String { text(spec, derived: false) }

    /// `prefix` + the name. A name derived from uploaded pixels is `{W}x{H}-{seed}-d.{ext}`
    /// (kept in the cache, not re-renderable from the name).
    /// Written into the string's own storage (one allocation: every URL of every answer).
    private static func text(_ spec: ImageSpec, derived: Bool, after prefix: String = "") -> String {
        let ext = spec.format.fileExtension
        let quality = derived ? nil : spec.quality
        let capacity =
            prefix.utf8.count + DecimalDigits.count(spec.width) + DecimalDigits.count(spec.height) + 19
            + (quality.map { 2 + DecimalDigits.count($0) } ?? 2) + ext.utf8.count
        return StringWriter.string(capacity: capacity) { out in
            out.write(prefix)
            out.writeDecimal(spec.width)
            out.write(UInt8(ascii: "x"))
            out.writeDecimal(spec.height)
            out.write(UInt8(ascii: "-"))
            out.writeHex(spec.seed)
            if derived {
                out.write("-d")
            } else if let quality {
                out.write("-q")
                out.writeDecimal(quality)
            }
            out.write(UInt8(ascii: "."))
            out.write(ext)
        }
    }

    static func spec(fromName name: String, maxPixels: Int) -> ImageSpec? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let format: ImageFormat
        switch name[name.index(after: dot)...] {
        case "png": format = .png
        case "jpg", "jpeg": format = .jpeg
        case "webp": format = .webp
        default: return nil
        }
        let parts = name[..<dot].split(separator: "-")
        guard parts.count == 2 || parts.count == 3, let (w, h) = dims(parts[0]), w * h <= maxPixels,
            parts[1].count == 16, let seed = UInt64(parts[1], radix: 16)
        else { return nil }
        var quality: Int?
        if parts.count == 3 {
            guard parts[2].hasPrefix("q"), let q = Int(parts[2].dropFirst()), (0...100).contains(q) else { return nil }
            quality = q
        }
        // Only canonical names: one spec, one URL.
        let spec = ImageSpec(width: w, height: h, format: format, seed: seed, quality: quality)
        return self.name(spec) == name || (format == .jpeg && name.hasSuffix(".jpeg")) ? spec : nil
    }

    private static func dims(_ s: Substring) -> (Int, Int)? {
        let p = s.split(separator: "x")
        guard p.count == 2, let w = Int(p[0]), let h = Int(p[1]), w > 0, h > 0, w <= 16384, h <= 16384 else { return nil }
        return (w, h)
    }

    /// The specs of a job's `n` images; the seed folds in the server seed and every request field,
    /// so the same request to a server with the same seed gives the same images.
    static func specs(for job: ValidatedImageRequest, serverSeed: UInt64) -> [ImageSpec] {
        var hash = StableHash(seed: serverSeed)
        hash.combine(job.model.id)
        hash.combine(job.operation.rawValue)
        hash.combine(job.prompt)
        JSONValue.object(job.fields).combine(into: &hash)
        if let seed = job.seed { hash.combine(UInt64(bitPattern: Int64(seed))) }
        let base = hash.value
        let format = ImageFormat(rawValue: job.outputFormat) ?? .png
        let quality = format == .png ? nil : job.compression
        return (0..<job.n).map { i in
            ImageSpec(width: job.width, height: job.height, format: format, seed: SplitMix64.mix(base &+ UInt64(i)), quality: quality)
        }
    }
}
