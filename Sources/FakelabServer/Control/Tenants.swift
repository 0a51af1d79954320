import FakelabAPI
import FakelabHTTP
import Synchronization

/// Everything the fake keeps per API key: its journal, fault rules, task policies, clock offset
/// and rate-limit window. Keys never see each other's state. Bounded: a ring of journal entries
/// per key, and at most `maxTenants` keys (least recently used forgotten first).
final class Tenants: Sendable {
    struct State: Sendable {
        var journal: Ring<JournalRecord>
        var seq = 0
        var rules: [FaultRule]
        var taskPolicy: TaskPolicy?
        var modelPolicies: [String: TaskPolicy] = [:]
        /// `poll_url` of the key's new tasks (`PUT /__fakelab/task-policy` with `poll_path`).
        var pollPath: PollPath?
        /// Delivery tiers the key cannot be served on (`PUT /__fakelab/delivery`).
        var unavailableTiers: Set<DeliveryTier> = []
        var clockOffset: Double = 0
        var windowStart: Double = -1
        var windowCount = 0
        var lastUse: UInt64 = 0
        /// Time of the key's last journaled request (its clock), for the inspector.
        var lastSeen: Double = 0

        /// The first matching rule that fires now (its counters move).
        mutating func fire(path: String, method: String, model: String?) -> FaultSpec? {
            for i in rules.indices where rules[i].matches(path: path, method: method, model: model) {
                if rules[i].fire() { return rules[i].fault }
            }
            return nil
        }
    }

    struct RateDecision: Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        var reset: Int
        var retryAfter: Int
    }

    private struct Registry: Sendable {
        var tenants: [String: State] = [:]
        /// `key_id` → key, so the inspector can name a key without ever holding it.
        var ids: [String: String] = [:]
        var tick: UInt64 = 0
        /// Journal entries held across all keys.
        var journalEntries = 0
    }

    private let registry = Mutex(Registry())
    let journalCapacity: Int
    let journalTotal: Int
    let maxTenants: Int
    let startupRules: [FaultRule]
    let rateLimitPerMinute: Int

    init(journalCapacity: Int, journalTotal: Int = .max, maxTenants: Int, startupRules: [FaultRule], rateLimitPerMinute: Int) {
        self.journalCapacity = journalCapacity
        self.journalTotal = max(journalTotal, journalCapacity)
        self.maxTenants = maxTenants
        self.startupRules = startupRules
        self.rateLimitPerMinute = rateLimitPerMinute
    }

    /// Runs `body` on the key's state, creating it (with the startup rules) on first use.
    func with<T: Sendable>(_ key: APIKey, _ body: (inout State) -> T) -> T {
        registry.withLock { r in
            r.tick += 1
            // One hash of the key per call: every request passes here twice.
            var found = r.tenants.index(forKey: key.value)
            if found == nil {
                if r.tenants.count >= maxTenants { Self.evict(&r, keep: maxTenants * 9 / 10) }
                r.tenants[key.value] = State(journal: Ring(capacity: journalCapacity), rules: startupRules)
                r.ids[key.id] = key.value
                found = r.tenants.index(forKey: key.value)
            }
            // One access to the state, in place: each separate read of `values[i]` copied the
            // whole state (a retain and a release of everything it holds).
            let tick = r.tick
            var added = 0
            let result = Self.inPlace(&r.tenants.values[found!]) { state in
                state.lastUse = tick
                let before = state.journal.count
                let result = body(&state)
                added = state.journal.count - before
                return result
            }
            r.journalEntries += added
            if r.journalEntries > journalTotal { Self.trimJournals(&r, to: journalTotal * 9 / 10, sparing: key.value) }
            return result
        }
    }

    private static func inPlace<T>(_ state: inout State, _ body: (inout State) -> T) -> T { body(&state) }

    /// Forgets the key's state (its next request starts afresh, startup rules re-armed).
    func reset(_ key: APIKey) {
        registry.withLock { r in
            if let gone = r.tenants.removeValue(forKey: key.value) { r.journalEntries -= gone.journal.count }
            r.ids[key.id] = nil
        }
    }

    /// Empties the journals of the least recently used keys until `target` entries remain (the
    /// key being served keeps its own). Sorting happens once per 10 % of the budget, not per request.
    private static func trimJournals(_ r: inout Registry, to target: Int, sparing: String) {
        for (key, state) in r.tenants.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where key != sparing && state.journal.count > 0 {
            r.journalEntries -= state.journal.count
            r.tenants[key]!.journal.removeAll()
            if r.journalEntries <= target { return }
        }
    }

    /// The key a `key_id` names, if that key has state here.
    func key(id: String) -> APIKey? { registry.withLock { $0.ids[id].map(APIKey.init(verified:)) } }

    /// What the inspector lists per key: never the key itself.
    struct Overview: Sendable {
        var key: APIKey
        var requests: Int
        var lastSeen: Double
        var rules: Int
    }

    /// Every key with state, most recently active first.
    func overview() -> [Overview] {
        registry.withLock { r in
            r.tenants.map {
                Overview(key: APIKey(verified: $0.key), requests: $0.value.seq, lastSeen: $0.value.lastSeen, rules: $0.value.rules.count)
            }
            .sorted { $0.lastSeen > $1.lastSeen }
        }
    }

    struct Admission: Sendable {
        var fault: FaultSpec?
        var rate: RateDecision?
        var offset: Double
        var modelRules: Bool
        /// The journal entry opened for the request; `complete` fills it in.
        var seq: Int
    }

    /// Everything the middleware needs of the key, in one lock: the rate decision, a staged fault
    /// (unless the request brings its own or the rate limit refuses it), the key's clock offset,
    /// and the request's journal entry (opened now, in flight until `complete`).
    func admit(_ key: APIKey, arrival entry: JournalRecord, ruleFaults: Bool) -> Admission {
        let limit = rateLimitPerMinute
        return with(key) { s in
            let rate = limit > 0 ? Self.rate(&s, limit: limit, now: entry.time) : nil
            // A request the rate limit refuses never reaches the fault plan: its rule stays unfired.
            let fault = ruleFaults && rate?.allowed != false ? s.fire(path: entry.path, method: entry.method, model: nil) : nil
            let modelRules = s.rules.contains { $0.model != nil }
            var entry = entry
            entry.time += s.clockOffset
            s.seq += 1
            entry.seq = s.seq
            s.lastSeen = entry.time
            s.journal.append(entry)
            return Admission(fault: fault, rate: rate, offset: s.clockOffset, modelRules: modelRules, seq: s.seq)
        }
    }

    /// The first rule that matches and fires. Rules with a `model` only match when `model` is given.
    func nextFault(_ key: APIKey, path: String, method: String, model: String?) -> FaultSpec? {
        with(key) { $0.fire(path: path, method: method, model: model) }
    }

    /// A fixed one-minute window per key (TokenLab: requests per minute per key, S12).
    private static func rate(_ s: inout State, limit: Int, now: Double) -> RateDecision {
        if s.windowStart < 0 || now - s.windowStart >= 60 {
            s.windowStart = (now / 60).rounded(.down) * 60
            s.windowCount = 0
        }
        let reset = Int(s.windowStart) + 60
        let retryAfter = max(1, Int((s.windowStart + 60 - now).rounded(.up)))
        guard s.windowCount < limit else {
            return RateDecision(allowed: false, limit: limit, remaining: 0, reset: reset, retryAfter: retryAfter)
        }
        s.windowCount += 1
        return RateDecision(allowed: true, limit: limit, remaining: limit - s.windowCount, reset: reset, retryAfter: retryAfter)
    }

    /// Completes the entry `admit` opened (a no-op once the ring has dropped it).
    func complete(_ key: APIKey, seq: Int, _ body: (inout JournalRecord) -> Void) {
        with(key) { s in s.journal.update(back: s.seq - seq, body) }
    }

    private static func evict(_ r: inout Registry, keep: Int) {
        let victims = r.tenants.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(1, r.tenants.count - keep))
        for (key, state) in victims {
            r.journalEntries -= state.journal.count
            r.tenants[key] = nil
            r.ids[APIKey(verified: key).id] = nil
        }
    }
}
