import FakelabAPI
import FakelabImaging
import NIOCore
import Synchronization

/// Rendered images by spec, bounded in bytes (least recently used evicted). Rendering is
/// deterministic, so a cached copy is always exactly what a fresh render would give.
final class ImageCache: Sendable {
    struct Entry {
        var bytes: ByteBuffer
        var base64: String?
        var lastUse: UInt64
        var cost: Int { bytes.readableBytes + (base64?.utf8.count ?? 0) }
    }

    /// Synthesized images are keyed by spec (re-rendered on a miss); derived ones by name
    /// (stored when made: their inputs are gone afterwards, so a miss is a 404).
    enum Key: Hashable, Sendable {
        case spec(ImageSpec)
        case named(String)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacityBytes: Int

    init(capacityBytes: Int = 64 << 20) { self.capacityBytes = capacityBytes }

    /// The encoded image for `spec`.
    func image(_ spec: ImageSpec) throws(ImagingError) -> ByteBuffer {
        if let hit = lookup(.spec(spec)) { return hit.bytes }
        let bytes = ByteBuffer(bytes: try Synthesizer.render(spec))
        store(.spec(spec), Entry(bytes: bytes, base64: nil, lastUse: 0))
        return bytes
    }

    /// The encoded image as base64 (what `b64_json` carries).
    func base64(_ spec: ImageSpec) throws(ImagingError) -> String {
        if let hit = lookup(.spec(spec)), let b64 = hit.base64 { return b64 }
        let bytes = try image(spec)
        let b64 = Base64.encode(Array(bytes.readableBytesView))
        store(.spec(spec), Entry(bytes: bytes, base64: b64, lastUse: 0))
        return b64
    }

    /// Keeps a derived image under its URL name.
    func insert(named name: String, bytes: [UInt8]) {
        store(.named(name), Entry(bytes: ByteBuffer(bytes: bytes), base64: nil, lastUse: 0))
    }

    func image(named name: String) -> ByteBuffer? { lookup(.named(name))?.bytes }

    private func lookup(_ key: Key) -> Entry? {
        state.withLock { s in
            guard var e = s.entries[key] else { return nil }
            s.tick += 1
            e.lastUse = s.tick
            s.entries[key] = e
            return e
        }
    }

    private func store(_ key: Key, _ entry: Entry) {
        guard entry.cost <= capacityBytes else { return }
        state.withLock { s in
            s.tick += 1
            var entry = entry
            entry.lastUse = s.tick
            if let old = s.entries.updateValue(entry, forKey: key) { s.bytes -= old.cost }
            s.bytes += entry.cost
            while s.bytes > capacityBytes, let victim = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.bytes -= victim.value.cost
                s.entries[victim.key] = nil
            }
        }
    }
}
