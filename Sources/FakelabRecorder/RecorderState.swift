import AsyncHTTPClient
import FakelabAPI
import FakelabCassettes
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// What one recorder shares between requests: the cassette, the effective mode, replay memory,
/// the upstream client, and counters for `/__fakelab/recorder`.
final class RecorderState: Sendable {
    let configuration: RecorderConfiguration
    let store: CassetteStore
    let committer: GroupCommitter
    /// `once` resolved at start: `all` for an empty cassette, `none` otherwise.
    let mode: RecordMode
    let upstream: String?
    let links: MediaLinks
    let cursors: ReplayCursors
    /// Per key, what this server answered (`GET /__fakelab/journal`), secrets never kept.
    let journal = ReplayJournal()
    /// This recorder's own client to the upstream (nil when replaying only), shut down with the
    /// recorder (`HTTPClientService`); redirects reach the client as the upstream sent them.
    let client: HTTPClient?
    let logger: Logger
    private let counters = Mutex(Counters())

    struct Counters {
        var recorded = 0, replayed = 0, forwarded = 0, misses = 0, refused = 0, upstreamErrors = 0
    }

    init(_ configuration: RecorderConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        upstream = try configuration.upstream.map { url throws(RecorderError) in try RecorderConfiguration.normalizedUpstream(url) }
        let replayOnly = configuration.mode == .none
        if !replayOnly, upstream == nil { throw RecorderError.needsUpstream(configuration.mode) }
        store = try CassetteStore(
            path: configuration.cassettePath,
            readOnly: replayOnly,
            redactor: configuration.redactor,
            ignoredFields: configuration.ignoredFields
        )
        committer = GroupCommitter(store: store)
        var mode = configuration.mode
        if mode == .once { mode = try store.count() == 0 ? .all : .none }
        self.mode = mode
        if configuration.mode == .all { try store.removeAll() }
        if let upstream, mode != .none, mode != .passthrough { try store.setMeta("upstream", upstream) }
        let recordedOrigin = upstream ?? (try? store.meta("upstream")) ?? nil
        links = MediaLinks(upstreamOrigin: recordedOrigin, redactor: configuration.redactor)
        // Replay-only cassettes cannot change, so their answers may be kept in memory.
        cursors = ReplayCursors(cacheLimit: mode == .none ? 256 << 20 : 0)
        // Last: nothing after it throws, so a client made is always handed to its service.
        client = upstream == nil ? nil : HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration)
    }

    func count(_ update: @Sendable (inout Counters) -> Void) { counters.withLock { update(&$0) } }

    /// The last misses with their near-miss reports, for the inspector (newest last).
    private let misses = Mutex<[JSONValue]>([])
    static let keptMisses = 100

    func remember(miss request: Exchange.Request, report: JSONValue) {
        let item: JSONValue = [
            "time": .double(Date().timeIntervalSince1970), "method": .string(request.method), "path": .string(request.path), "report": report,
        ]
        misses.withLock {
            $0.append(item)
            if $0.count > Self.keptMisses { $0.removeFirst($0.count - Self.keptMisses) }
        }
    }

    var recentMisses: [JSONValue] { misses.withLock { $0 } }

    var status: JSONValue {
        let c = counters.withLock { $0 }
        return [
            "mode": .string(mode.rawValue), "cassette": .string(configuration.cassettePath),
            "exchanges": .int((try? store.count()) ?? -1),
            "recorded": .int(c.recorded), "replayed": .int(c.replayed), "forwarded": .int(c.forwarded),
            "misses": .int(c.misses), "refused": .int(c.refused), "upstream_errors": .int(c.upstreamErrors),
        ]
    }

    static let clientConfiguration = HTTPClient.Configuration.fakelab(connect: .seconds(10))
}

extension RecorderState {
    /// The request as a cassette keeps it (and as the recorder logs and reports it): credentials,
    /// secret query keys and token-shaped strings gone, from the path too (`/v1/tasks/sk-…`).
    func incoming(_ request: Request, body: ByteBuffer) -> Exchange.Request {
        let redactor = configuration.redactor
        let pairs = request.headers.filter { !$0.name.isHopByHop }.map { ($0.name.rawName, $0.value) }
        return Exchange.Request(
            method: request.method.rawValue,
            path: redactor.redact(text: request.uri.path),
            query: redactor.redact(query: request.uri.query),
            headers: redactor.redact(headers: pairs).map { Exchange.Header($0.0, $0.1) },
            contentType: request.headers[.contentType],
            body: redactor.redact(bytes: Array(body.readableBytesView))
        )
    }

    /// Upstream response headers worth keeping: no connection-level ones, no cookies or credentials.
    func responseHeaders(_ headers: HTTPHeaders) -> [Exchange.Header] {
        let pairs = headers.map { ($0.name, $0.value) }.withoutHopByHop()
        return configuration.redactor.redact(headers: pairs).map { Exchange.Header($0.0, $0.1) }
    }
}
