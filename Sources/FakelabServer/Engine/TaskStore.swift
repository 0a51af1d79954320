import FakelabAPI
import Synchronization

/// Every task, owned by one API key. Status is computed from the policy and the time the caller
/// passes (the server clock plus the key's offset) when read: no timer or background job per
/// task. Bounded by retention, by count per key (a key's flood evicts its own oldest tasks, never
/// another key's) and by count overall (oldest first). A mutex, not an actor: every
/// operation is short and synchronous, and a status read must cost no more than a sync request.
final class TaskStore: Sendable {
    /// A task as stored: what cannot be computed, and nothing that can. Its id is 128 bits, its
    /// billing id the 64 bits it is rendered from, its result URLs a shared prefix plus the specs
    /// their names are rendered from; bodies are rendered when read. Thousands are retained
    /// (`--max-tasks`), so each string a record does not hold is a heap block saved.
    struct Record: Sendable {
        let id: TaskID
        /// Shares its storage with the owner's other tasks (`create`): one copy per key, not per task.
        var owner: APIKey
        let model: String
        let created: Double
        var updated: Double
        let policy: TaskPolicy
        let pollPath: PollPath
        var lastStatus: TaskStatus = .pending
        var reads: Int32 = 0
        /// Result image URLs, revealed on completion: `resultBase` + each name.
        var resultBase: String
        let results: Results
        let billing: BillingID

        var resultURLs: [String] { results.names.map { $0.url(resultBase) } }
    }

    enum Lookup: Sendable {
        case found([UInt8], TaskStatus, billingID: String?, pollURL: String = "", results: [String] = [])
        case notFound
        case notOwned
    }

    /// Task ids in creation order; ids of removed tasks are skipped when met.
    struct Queue: Sendable {
        private(set) var ids: [TaskID] = []
        private(set) var head = 0

        init(ids: [TaskID] = []) { self.ids = ids }

        var oldest: TaskID? { head < ids.count ? ids[head] : nil }
        var live: ArraySlice<TaskID> { ids[head...] }

        mutating func append(_ id: TaskID) { ids.append(id) }

        /// Drops the oldest id. Once half the array is popped ids, the live ones move to an array
        /// of their own size: `removeFirst` would keep the capacity, and with 64 keys each owner's
        /// queue held ~1,000 dead ids (1 MB at the default bounds, found with heaptrack).
        mutating func pop() {
            head += 1
            if head >= 16, head * 2 >= ids.count {
                ids = Array(ids[head...])
                head = 0
            }
        }
    }

    private struct State: Sendable {
        /// Records side by side in one array, found through `index`: a dictionary of records
        /// would give each of its 8,192 buckets (for 5,000 tasks) a record's worth of room.
        var slots: [Record] = []
        var index: [TaskID: Int32] = [:]
        var all = Queue()
        var byOwner: [APIKey: Queue] = [:]
        var ownerCounts: [APIKey: Int] = [:]
        /// The result URL prefixes tasks were created with (one per `Host` a client used, as a
        /// rule one), so every task shares its prefix's storage instead of holding a copy.
        var bases: [String] = []

        var count: Int { slots.count }

        func record(_ id: TaskID) -> Record? { index[id].map { slots[Int($0)] } }

        mutating func insert(_ record: Record) {
            if let i = index[record.id] {
                slots[Int(i)] = record
            } else {
                index[record.id] = Int32(slots.count)
                slots.append(record)
            }
        }

        /// Removes the record; the last one moves into its slot.
        mutating func removeRecord(_ id: TaskID) -> Record? {
            guard let i = index.removeValue(forKey: id).map(Int.init) else { return nil }
            let record = slots[i]
            let last = slots.removeLast()
            if i < slots.count {
                slots[i] = last
                index[last.id] = Int32(i)
            }
            return record
        }
    }

    private let state = Mutex(State())
    let retention: Double
    let maxTasks: Int
    let maxTasksPerKey: Int

    init(retention: Double, maxTasks: Int, maxTasksPerKey: Int) {
        self.retention = retention
        self.maxTasks = maxTasks
        self.maxTasksPerKey = maxTasksPerKey
    }

    /// Stores a new task and returns its first (pending) body.
    func create(_ record: Record) -> [UInt8] {
        var record = record
        state.withLock { s in
            evict(&s, now: record.created, owner: record.owner)
            if let known = s.bases.first(where: { $0 == record.resultBase }) {
                record.resultBase = known
            } else if s.bases.count < 16 {
                s.bases.append(record.resultBase)
            }
            if let known = s.byOwner.index(forKey: record.owner) {
                record.owner = s.byOwner.keys[known]
                s.byOwner.values[known].append(record.id)
            } else {
                s.byOwner[record.owner] = Queue(ids: [record.id])
            }
            s.insert(record)
            s.all.append(record.id)
            s.ownerCounts[record.owner, default: 0] += 1
        }
        return Self.render(record, status: .pending, now: record.created)
    }

    /// One status read: counts toward poll-based policies.
    func read(id text: String, by key: APIKey, now: Double) -> Lookup {
        guard let id = TaskID(text) else { return .notFound }
        let found: (Record, TaskStatus)? = state.withLock { s in
            guard let i = s.index[id].map(Int.init), now - s.slots[i].created <= retention else { return nil }
            var record = s.slots[i]
            guard record.owner == key else { return (record, .pending) }
            let status = record.policy.status(reads: Int(record.reads), elapsed: now - record.created)
            record.reads &+= 1
            if status != record.lastStatus {
                record.lastStatus = status
                record.updated = now
            }
            s.slots[i] = record
            return (record, status)
        }
        guard let (record, status) = found else { return .notFound }
        guard record.owner == key else { return .notOwned }
        let completed = status == .completed
        return .found(
            Self.render(record, status: status, now: now),
            status,
            billingID: completed ? record.billing.description : nil,
            pollURL: record.pollPath.url(for: text),
            results: completed ? record.resultURLs : []
        )
    }

    /// Whether the task exists for `key` and what it is doing now (without counting a read).
    func peek(id text: String, by key: APIKey, now: Double) -> Lookup {
        guard let id = TaskID(text), let record = state.withLock({ $0.record(id) }), now - record.created <= retention else { return .notFound }
        guard record.owner == key else { return .notOwned }
        let status = record.policy.status(reads: Int(record.reads), elapsed: now - record.created)
        return .found([], status, billingID: nil)
    }

    /// A task as the inspector lists it (no read is counted).
    struct Summary: Sendable {
        var id: String
        var model: String
        var created: Double
        var policy: TaskPolicy
        var pollURL: String
        var status: TaskStatus
    }

    /// The key's tasks still retained, oldest first.
    func summaries(ownedBy key: APIKey, now: Double) -> [Summary] {
        state.withLock { s in
            guard let queue = s.byOwner[key] else { return [] }
            return queue.live.compactMap { id in
                guard let r = s.record(id), now - r.created <= retention else { return nil }
                let status = r.policy.status(reads: Int(r.reads), elapsed: now - r.created)
                let text = id.description
                return Summary(id: text, model: r.model, created: r.created, policy: r.policy, pollURL: r.pollPath.url(for: text), status: status)
            }
        }
    }

    func count(ownedBy key: APIKey) -> Int { state.withLock { $0.ownerCounts[key] ?? 0 } }

    /// Forgets every task of `key` (control API reset).
    func removeAll(ownedBy key: APIKey) {
        state.withLock { s in
            s.slots.removeAll { $0.owner == key }
            s.index = Dictionary(uniqueKeysWithValues: s.slots.indices.map { (s.slots[$0].id, Int32($0)) })
            s.byOwner[key] = nil
            s.ownerCounts[key] = nil
        }
    }

    private func remove(_ s: inout State, _ id: TaskID) {
        guard let record = s.removeRecord(id) else { return }
        let owner = record.owner
        // Tasks leave oldest first, so the task is usually its owner's oldest too: pop it, or
        // the owner's queue keeps every id the global bound evicted (a leak found by the
        // million-request memory benchmark).
        if s.byOwner[owner]?.oldest == id { s.byOwner[owner]?.pop() }
        let left = (s.ownerCounts[owner] ?? 1) - 1
        if left <= 0 {
            s.ownerCounts[owner] = nil
            s.byOwner[owner] = nil
        } else {
            s.ownerCounts[owner] = left
        }
    }

    /// Drops expired tasks (oldest first), the owner's oldest while it is at its cap, and the
    /// oldest overall while the store is full.
    private func evict(_ s: inout State, now: Double, owner: APIKey) {
        while (s.ownerCounts[owner] ?? 0) >= maxTasksPerKey, let id = s.byOwner[owner]?.oldest {
            s.byOwner[owner]?.pop()
            remove(&s, id)
        }
        while let id = s.all.oldest {
            guard let record = s.record(id) else {
                s.all.pop()
                continue
            }
            guard now - record.created > retention || s.count >= maxTasks else { break }
            s.all.pop()
            remove(&s, id)
        }
    }

    /// The task's body for `status`, rendered when read (a record keeps no body). Written field by
    /// field in the sorted key order `JSONValue.serialized()` uses, so a poll builds no dictionary;
    /// `TaskRenderTests` holds it equal to a `JSONValue` form for every status.
    static func render(_ r: Record, status: TaskStatus, now: Double) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        let id = JSONValue.string(r.id.description)
        func field(_ name: String, _ value: JSONValue) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
            value.write(into: &out)
        }
        let completed = status == .completed
        let failure = status == .failed ? r.policy.failure ?? .upstream : nil
        if completed { field("billing_transaction_id", .string(r.billing.description)) }
        field("created", .int(Int(r.created)))
        field("data", completed ? .array(r.resultURLs.map { ["url": .string($0)] }) : [])
        if let failure {
            field("error", .string(failure.message))
            field("error_details", failure.details)
        }
        field("id", id)
        field("model", .string(r.model))
        field("object", "image.task")
        field("poll_url", .string(r.pollPath.url(for: r.id.description)))
        if let progress = progress(r, status: status, now: now) { field("progress", .int(progress)) }
        field("status", .string(status.rawValue))
        field("task_id", id)
        field("updated", .int(Int(max(r.updated, r.created))))
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// How far a duration-timed task is through processing (1–99), nil otherwise.
    static func progress(_ r: Record, status: TaskStatus, now: Double) -> Int? {
        guard status == .processing, case .duration(let p, let run) = r.policy.timeline, run > 0 else { return nil }
        return min(99, max(1, Int((now - r.created - p) / run * 100)))
    }
}
