import FakelabAPI
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// Faults that break the connection or the bytes rather than answer with an error.
enum NetworkFaults {
    /// Milliseconds to wait before answering: `ms` (fixed), `min_ms`/`max_ms` (uniform), or
    /// `median_ms`/`sigma` (log-normal), drawn from `rng` so a seed reproduces the sequence.
    static func delay(_ fault: FaultSpec, rng: inout SplitMix64) -> Double {
        let unit = Double(rng.next() >> 11) / Double(1 << 53)
        switch fault.parameters["dist"]
            ?? (fault.parameters["median_ms"] != nil ? "lognormal" : fault.parameters["min_ms"] != nil ? "uniform" : "fixed")
        {
        case "uniform":
            let lo = fault.number("min_ms") ?? 0
            let hi = fault.number("max_ms") ?? max(lo, 1000)
            return lo + (hi - lo) * unit
        case "lognormal":
            let median = fault.number("median_ms") ?? 200
            let sigma = fault.number("sigma") ?? 0.5
            let u2 = Double(rng.next() >> 11) / Double(1 << 53)
            let z = (-2 * log(max(unit, 1e-12))).squareRoot() * cos(2 * .pi * u2)
            return min(median * exp(sigma * z), 600_000)
        default:
            return fault.number("ms") ?? 1000
        }
    }

    /// Closes the connection with no response: an RST for `reset`, a plain FIN for `empty_reply`.
    static func close(_ channel: any Channel, reset: Bool) async {
        if reset {
            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }

    /// Rewrites a finished response for body faults. `nil` when the fault does not shape bodies.
    static func shape(_ response: Response, _ fault: FaultSpec, channel: (any Channel)?) async throws -> Response? {
        switch fault.name {
        case .malformedJSON:
            var r = response
            let bytes = try await collect(response.body)
            let cut = max(1, bytes.readableBytes * 2 / 3)
            r.body = .init(byteBuffer: ByteBuffer(bytes: Array(bytes.readableBytesView.prefix(cut)) + Array("\u{0}<!--".utf8)))
            r.headers[.contentLength] = nil
            return r
        case .wrongContentType:
            var r = response
            r.headers[.contentType] = "text/html; charset=utf-8"
            r.body = .init(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>"))
            return r
        case .truncate:
            var r = response
            let bytes = try await collect(response.body)
            let keep = Int(fault.number("bytes") ?? Double(bytes.readableBytes / 2))
            let full = bytes.readableBytes
            let part = bytes.getSlice(at: bytes.readerIndex, length: min(keep, full)) ?? ByteBuffer()
            r.headers[.contentLength] = String(full)
            r.body = ResponseBody(contentLength: full) { writer in
                try await writer.write(part)
                if let channel { try? await channel.close().get() }
                throw CancellationError()
            }
            return r
        case .dribble:
            var r = response
            let bytes = try await collect(response.body)
            let chunk = max(1, Int(fault.number("bytes") ?? 16))
            let interval = fault.number("interval_ms") ?? 100
            r.headers[.contentLength] = String(bytes.readableBytes)
            r.body = ResponseBody(contentLength: bytes.readableBytes) { writer in
                var rest = bytes
                while let piece = rest.readSlice(length: min(chunk, rest.readableBytes)), piece.readableBytes > 0 {
                    try await writer.write(piece)
                    try await Task.sleep(for: .milliseconds(interval))
                }
                try await writer.finish(nil)
            }
            return r
        default:
            return nil
        }
    }

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = CollectingWriter()
        try await body.write(sink)
        return sink.buffer.withLock { $0 }
    }
}

/// A body writer that keeps what it is given, to reshape a response after it was produced.
private final class CollectingWriter: ResponseBodyWriter, Sendable {
    let buffer = Mutex(ByteBuffer())
    func write(_ buffer: ByteBuffer) async throws {
        self.buffer.withLock { b in
            var copy = buffer
            b.writeBuffer(&copy)
        }
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
