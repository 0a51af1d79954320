import FakelabCassettes
import NIOCore
import Synchronization

/// Replay's memory, keyed by a request's canonical match text (`MatchKey.description`, not its
/// digest): a cursor per request — how many times it has been seen this session, so the n-th
/// identical request gets the n-th answer — and, when the cassette cannot change (replay only),
/// every answer of a request once it was read, so steady-state replay never touches SQLite.
final class ReplayCursors: Sendable {
    private struct State {
        var seen: [String: Int] = [:]
        var answers: [String: [CassetteStore.Answer]] = [:]
        var bodies: [String: ByteBuffer] = [:]
        var cachedBytes = 0
    }

    private let state = Mutex(State())
    let cacheLimit: Int

    init(cacheLimit: Int) {
        self.cacheLimit = cacheLimit
    }

    /// The 0-based ordinal of this request among identical ones (its cursor, then advanced).
    func next(_ matchText: String) -> Int {
        state.withLock { s in
            let n = s.seen[matchText, default: 0]
            s.seen[matchText] = n + 1
            return n
        }
    }

    /// The answer at `ordinal`, or the last before it, from memory (nil when not cached).
    func cached(_ matchText: String, upTo ordinal: Int) -> CassetteStore.Answer?? {
        state.withLock { s in
            guard let all = s.answers[matchText] else { return nil }
            return .some(all.isEmpty ? nil : all[min(ordinal, all.count - 1)])
        }
    }

    /// Keeps every answer of a request (ordinals 0…n-1 in order) while the byte budget lasts.
    func remember(_ matchText: String, _ answers: [CassetteStore.Answer]) {
        let size = answers.reduce(0) { $0 + $1.response.body.count + 256 }
        state.withLock { s in
            guard s.answers[matchText] == nil, s.cachedBytes + size <= cacheLimit else { return }
            s.answers[matchText] = answers
            s.cachedBytes += size
        }
    }

    /// A body as served (links rewritten for one recorder base), kept while the budget lasts.
    func servedBody(_ key: String, make: () -> [UInt8]) -> ByteBuffer {
        if let hit = state.withLock({ $0.bodies[key] }) { return hit }
        let body = ByteBuffer(bytes: make())
        state.withLock { s in
            guard s.cachedBytes + body.readableBytes + key.utf8.count <= cacheLimit else { return }
            s.bodies[key] = body
            s.cachedBytes += body.readableBytes + key.utf8.count
        }
        return body
    }
}
