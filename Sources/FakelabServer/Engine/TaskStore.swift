import FakelabAPI
import Synchronization

/// Every task, owned by one API key. Status is computed from the policy and the time the caller
/// passes (the server clock plus the key's offset) when read: no timer or background job per
/// task. Bounded by retention and by count (oldest evicted first). A mutex, not an actor: every
/// operation is short and synchronous, and a status read must cost no more than a sync request.
final class TaskStore: Sendable {
    struct Record: Sendable {
        let id: String
        let owner: APIKey
        let model: String
        let created: Double
        var updated: Double
        let policy: TaskPolicy
        var reads = 0
        var lastStatus: TaskStatus = .pending
        let results: [JSONValue]
        let billingID: String
        /// The serialized body once terminal: it never changes again.
        var terminalBody: [UInt8]?
    }

    enum Lookup: Sendable {
        case found([UInt8], TaskStatus, billingID: String?)
        case notFound
        case notOwned
    }

    private struct State: Sendable {
        var records: [String: Record] = [:]
        var fifo: [String] = []
        var head = 0
    }

    private let state = Mutex(State())
    let retention: Double
    let maxTasks: Int

    init(retention: Double, maxTasks: Int) {
        self.retention = retention
        self.maxTasks = maxTasks
    }

    var count: Int { state.withLock { $0.records.count } }

    func create(id: String, owner: APIKey, model: String, policy: TaskPolicy, results: [JSONValue], billingID: String, now: Double) -> [UInt8] {
        let record = Record(id: id, owner: owner, model: model, created: now, updated: now, policy: policy, results: results, billingID: billingID)
        state.withLock { s in
            evict(&s, now: now)
            s.records[id] = record
            s.fifo.append(id)
        }
        return Self.render(record, status: .pending, now: now).serialized()
    }

    /// One status read: counts toward poll-based policies.
    func read(id: String, by key: APIKey, now: Double) -> Lookup {
        let found: (Record, TaskStatus)? = state.withLock { s in
            guard var record = s.records[id], now - record.created <= retention else { return nil }
            guard record.owner == key else { return (record, .pending) }
            let status = record.policy.status(reads: record.reads, elapsed: now - record.created)
            record.reads += 1
            if status != record.lastStatus {
                record.lastStatus = status
                record.updated = now
            }
            if status.isTerminal, record.terminalBody == nil {
                record.terminalBody = Self.render(record, status: status, now: now).serialized()
            }
            s.records[id] = record
            return (record, status)
        }
        guard let (record, status) = found else { return .notFound }
        guard record.owner == key else { return .notOwned }
        let body = record.terminalBody ?? Self.render(record, status: status, now: now).serialized()
        return .found(body, status, billingID: status == .completed ? record.billingID : nil)
    }

    /// Whether the task exists for `key` and what it is doing now (without counting a read).
    func peek(id: String, by key: APIKey, now: Double) -> Lookup {
        guard let record = state.withLock({ $0.records[id] }), now - record.created <= retention else { return .notFound }
        guard record.owner == key else { return .notOwned }
        let status = record.policy.status(reads: record.reads, elapsed: now - record.created)
        return .found([], status, billingID: nil)
    }

    /// Forgets every task of `key` (control API reset).
    func removeAll(ownedBy key: APIKey) {
        state.withLock { s in s.records = s.records.filter { $0.value.owner != key } }
    }

    private func evict(_ s: inout State, now: Double) {
        while s.head < s.fifo.count {
            let id = s.fifo[s.head]
            guard let record = s.records[id] else { s.head += 1; continue }
            guard now - record.created > retention || s.records.count >= maxTasks else { break }
            s.records[id] = nil
            s.head += 1
        }
        if s.head > 1024, s.head * 2 > s.fifo.count {
            s.fifo.removeFirst(s.head)
            s.head = 0
        }
    }

    static func render(_ r: Record, status: TaskStatus, now: Double) -> JSONValue {
        var body: [String: JSONValue] = [
            "id": .string(r.id), "task_id": .string(r.id), "object": "image.task",
            "status": .string(status.rawValue), "model": .string(r.model),
            "created": .int(Int(r.created)), "updated": .int(Int(max(r.updated, r.created))),
            "poll_url": .string("/v1/tasks/\(r.id)"), "data": [],
        ]
        switch status {
        case .completed:
            body["data"] = .array(r.results)
            body["billing_transaction_id"] = .string(r.billingID)
        case .failed:
            body["error"] = .string(r.policy.failure?.message ?? "Generation failed")
        case .processing:
            if case .duration(let p, let run) = r.policy.timeline, run > 0 {
                body["progress"] = .int(min(99, max(1, Int((now - r.created - p) / run * 100))))
            }
        case .pending: break
        }
        return .object(body)
    }
}
