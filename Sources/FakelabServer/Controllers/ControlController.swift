import FakelabAPI
import FakelabChecks
import FakelabHTTP
import Hummingbird
import NIOCore

/// The control API under `/__fakelab/`: faults, task policy, clock, reset, journal, verify.
/// Every call acts on the API key it carries (`Authorization: Bearer sk-…`), so parallel tests
/// never touch each other's state. Loopback only, unless a control token is configured.
struct ControlController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        let group = router
        group.get("/faults") { request, context in try guarded(request, context) { key in faultsBody(key) } }
        group.post("/faults") { request, context in
            try await guardedBody(request, context) { key, body in try addRules(key, body) }
        }
        group.delete("/faults") { request, context in
            try guarded(request, context) { key in
                state.tenants.with(key) { $0.rules = [] }
                return faultsBody(key)
            }
        }
        group.put("/task-policy") { request, context in try await guardedBody(request, context) { key, body in try setPolicy(key, body) } }
        group.delete("/task-policy") { request, context in
            try guarded(request, context) { key in
                state.tenants.with(key) {
                    $0.taskPolicy = nil
                    $0.modelPolicies = [:]
                    $0.pollPath = nil
                }
                return ["task_policy": .null]
            }
        }
        group.put("/delivery") { request, context in try await guardedBody(request, context) { key, body in try setDelivery(key, body) } }
        group.post("/clock/advance") { request, context in try await guardedBody(request, context) { key, body in try advance(key, body) } }
        group.post("/reset") { request, context in
            let key = try access(request, context)
            state.tenants.reset(key)
            state.tasks.removeAll(ownedBy: key)
            state.files.removeAll(ownedBy: key)
            return Response.json(["reset": true])
        }
        group.get("/journal") { request, context in try guarded(request, context) { key in try journal(key, request.uri.queryParameters) } }
        group.post("/verify") { request, context in
            try await guardedBody(request, context) { key, body in
                try Verifier.run(body, journal: entries(key))
            }
        }
        group.get("/keys") { _, _ in keys() }
        group.get("/verdict") { request, context in try guarded(request, context) { key in try verdict(key, request.uri.queryParameters) } }
        group.get("/journal/{seq}") { request, context in try guarded(request, context) { key in try journalEntry(key, context) } }
        group.get("/tasks") { request, context in try guarded(request, context) { key in tasks(key, now: context.now) } }
        group.get("/state") { request, context in
            try guarded(request, context) { key in
                state.tenants.with(key) { s in
                    [
                        "task_policy": s.taskPolicy.map { .string($0.description) } ?? .null,
                        "model_task_policies": .object(s.modelPolicies.mapValues { .string($0.description) }),
                        "clock_offset_seconds": .double(s.clockOffset), "now": .double(state.now + s.clockOffset),
                        "rules": .array(s.rules.map(\.json)), "journal_entries": .int(s.journal.count),
                        "poll_path": s.pollPath.map { .string($0.rawValue) } ?? .null,
                        "unavailable_tiers": .array(s.unavailableTiers.map(\.rawValue).sorted().map { .string($0) }),
                    ]
                }
            }
        }
    }

    // MARK: Access

    /// The caller's key (the control group's middleware already checked loopback / token).
    func access(_ request: Request, _ context: FakelabContext) throws(APIError) -> APIKey {
        guard let key = context.apiKey else { throw .invalidAPIKey }
        return key
    }

    private func guarded(_ request: Request, _ context: FakelabContext, _ body: (APIKey) throws -> JSONValue) throws -> Response {
        .json(try body(try access(request, context)))
    }

    private func guardedBody(_ request: Request, _ context: FakelabContext, _ body: (APIKey, JSONValue) throws -> JSONValue) async throws -> Response
    {
        let key = try access(request, context)
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let value: JSONValue
        do { value = try JSONValue.parse(Array(buffer.readableBytesView)) } catch {
            throw APIError.badRequest(code: ErrorCode.invalidJSON, "The control request body is not valid JSON: \(error.reason)")
        }
        return .json(try body(key, value))
    }

    // MARK: Actions

    /// Every key with state here, named by its `key_id` and shown masked (never in full).
    private func keys() -> Response {
        let data: [JSONValue] = state.tenants.overview().map { o in
            [
                "key_id": .string(o.key.id), "key": .string(o.key.redacted), "requests": .int(o.requests),
                "last_seen": .double(o.lastSeen), "tasks": .int(state.tasks.count(ownedBy: o.key)), "rules": .int(o.rules),
            ]
        }
        return .json(["object": "list", "data": .array(data)])
    }

    /// The key's tasks with their timelines: which status reads (journal seqs) saw each state.
    private func tasks(_ key: APIKey, now: Double) -> JSONValue {
        let journal = state.tenants.with(key) { $0.journal.elements }
        let data: [JSONValue] = state.tasks.summaries(ownedBy: key, now: now).map { t in
            var stages: [(status: String, from: Double, reads: [Int])] = [("created", t.created, [])]
            for entry in journal where entry.taskID == t.id {
                let status = entry.method == "POST" ? "created" : (entry.taskStatus ?? "unknown")
                if status == "created" {
                    stages[0].reads.append(entry.seq)
                } else if let i = stages.lastIndex(where: { $0.status == status }), i == stages.count - 1 {
                    stages[i].reads.append(entry.seq)
                } else {
                    stages.append((status, entry.time, [entry.seq]))
                }
            }
            return [
                "id": .string(t.id), "model": .string(t.model), "created": .double(t.created), "policy": .string(t.policy.description),
                "status": .string(t.status.rawValue), "poll_url": .string(t.pollURL),
                "timeline": .array(
                    stages.map { ["status": .string($0.status), "from": .double($0.from), "reads": .array($0.reads.map { .int($0) })] }
                ),
            ]
        }
        return ["object": "list", "data": .array(data)]
    }

    private func faultsBody(_ key: APIKey) -> JSONValue {
        ["rules": .array(state.tenants.with(key) { $0.rules.map(\.json) })]
    }

    private func addRules(_ key: APIKey, _ body: JSONValue) throws -> JSONValue {
        let items = body["rules"]?.arrayValue ?? (body["fault"] != nil ? [body] : nil)
        guard let items else {
            throw APIError.badRequest(code: ErrorCode.invalidValue, param: "rules", "Send {\"rules\": [{\"fault\": \"…\", …}]} or one rule object")
        }
        var rules: [FaultRule] = []
        for (i, item) in items.enumerated() {
            do { rules.append(try FaultRule(json: item)) } catch {
                throw APIError.badRequest(code: ErrorCode.invalidValue, param: "rules[\(i)]", "rules[\(i)]: \(error.description)")
            }
        }
        state.tenants.with(key) { $0.rules += rules }
        return faultsBody(key)
    }

    /// `{"unavailable": ["official"]}`: tiers the key's creates cannot be served on (503
    /// `delivery_tier_unavailable` when a request insists on one); `[]` makes every tier available.
    private func setDelivery(_ key: APIKey, _ body: JSONValue) throws -> JSONValue {
        guard let items = body["unavailable"]?.arrayValue else {
            throw APIError.badRequest(code: ErrorCode.invalidValue, param: "unavailable", "Send {\"unavailable\": [\"verified\" | \"official\", …]}")
        }
        var tiers: Set<DeliveryTier> = []
        for (i, item) in items.enumerated() {
            guard let tier = item.stringValue.flatMap(DeliveryTier.init(rawValue:)) else {
                throw APIError.badRequest(code: ErrorCode.invalidValue, param: "unavailable[\(i)]", "unavailable[\(i)]: verified or official")
            }
            tiers.insert(tier)
        }
        state.tenants.with(key) { $0.unavailableTiers = tiers }
        return ["unavailable": .array(tiers.map(\.rawValue).sorted().map { .string($0) })]
    }

    private func setPolicy(_ key: APIKey, _ body: JSONValue) throws -> JSONValue {
        var pollPath: PollPath?
        if let path = body["poll_path"] {
            guard let p = path.stringValue.flatMap(PollPath.init(rawValue:)) else {
                throw APIError.badRequest(
                    code: ErrorCode.invalidValue,
                    param: "poll_path",
                    "poll_path: one of \(PollPath.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            pollPath = p
        }
        if body["policy"] == nil, let pollPath {
            state.tenants.with(key) { $0.pollPath = pollPath }
            return ["poll_path": .string(pollPath.rawValue)]
        }
        if let pollPath { state.tenants.with(key) { $0.pollPath = pollPath } }
        guard let text = body["policy"]?.stringValue, let policy = TaskPolicy(parsing: text) else {
            throw APIError.badRequest(
                code: ErrorCode.invalidValue,
                param: "policy",
                "policy: send instant, polls:P,R or duration:P,R, optionally +fail:content_policy|upstream|timeout"
            )
        }
        if let model = body["model"] {
            guard let id = model.stringValue, state.catalog.model(id) != nil else {
                throw APIError.badRequest(code: ErrorCode.modelNotFound, param: "model", "model: not in the catalog")
            }
            state.tenants.with(key) { $0.modelPolicies[id] = policy }
            return ["model": .string(id), "task_policy": .string(policy.description)]
        }
        state.tenants.with(key) { $0.taskPolicy = policy }
        return ["task_policy": .string(policy.description)]
    }

    private func advance(_ key: APIKey, _ body: JSONValue) throws -> JSONValue {
        guard let seconds = body["seconds"]?.doubleValue, seconds >= 0, seconds.isFinite, seconds <= 365 * 86400 else {
            throw APIError.badRequest(code: ErrorCode.invalidValue, param: "seconds", "seconds: send a number of seconds from 0 to 31536000")
        }
        let offset = state.tenants.with(key) { s in
            s.clockOffset += seconds
            return s.clockOffset
        }
        return ["clock_offset_seconds": .double(offset), "now": .double(state.now + offset)]
    }

    /// The key's journal as typed entries, oldest first.
    func entries(_ key: APIKey) -> [JournalEntry] { state.tenants.with(key) { $0.journal.elements }.map(\.entry) }

    private func journal(_ key: APIKey, _ query: Parameters) throws(APIError) -> JSONValue {
        var records = state.tenants.with(key) { $0.journal.elements }
        if let path = query.get("path") {
            guard let pattern = RoutePattern(path) else {
                throw .badRequest(code: ErrorCode.invalidValue, param: "path", "path: /exact, /prefix* or METHOD /path")
            }
            records = records.filter { pattern.matches(method: $0.method, path: $0.path) }
        }
        if let method = query.get("method") { records = records.filter { $0.method == method.uppercased() } }
        if let status = query.get("status") {
            guard let filter = StatusFilter(status) else {
                throw .badRequest(code: ErrorCode.invalidValue, param: "status", "status: 200, 4xx, 5xx or in_flight")
            }
            records = records.filter { filter.matches($0.status) }
        }
        if let since = query.get("since") {
            guard let n = Int(since) else { throw .badRequest(code: ErrorCode.invalidValue, param: "since", "since: a journal seq number") }
            records = records.filter { $0.seq > n }
        }
        if let limit = query.get("limit") {
            guard let n = Int(limit), n >= 0 else { throw .badRequest(code: ErrorCode.invalidValue, param: "limit", "limit: a non-negative integer") }
            records = Array(records.suffix(n))
        }
        return ["object": "list", "data": .array(records.map { $0.entry.json })]
    }

    /// One entry with the answer the journal kept of it (for the inspector's detail view).
    private func journalEntry(_ key: APIKey, _ context: FakelabContext) throws(APIError) -> JSONValue {
        guard let seq = context.parameters.get("seq").flatMap(Int.init),
            let record = state.tenants.with(key, { $0.journal.elements.first { $0.seq == seq } })
        else { throw .badRequest(code: ErrorCode.invalidValue, param: "seq", "seq: no such entry in this key's journal (it may have been dropped)") }
        guard case .object(var json) = record.entry.json else { return record.entry.json }
        var response: [String: JSONValue] = ["status": record.status == 0 ? .null : .int(record.status), "request_id": .string(record.requestID)]
        if let bytes = record.response { response["body"] = (try? JSONValue.parse(bytes)).map(JournalRedaction.maskingTokens) ?? .null }
        if let retryAfter = record.retryAfter { response["retry_after"] = .double(retryAfter) }
        json["response"] = .object(response)
        return .object(json)
    }

    /// The traffic verdict of the key's journal (`?since=SEQ` for newer traffic only).
    private func verdict(_ key: APIKey, _ query: Parameters) throws(APIError) -> JSONValue {
        var since: Int?
        if let text = query.get("since") {
            guard let n = Int(text) else { throw .badRequest(code: ErrorCode.invalidValue, param: "since", "since: a journal seq number") }
            since = n
        }
        let loopback = state.configuration.allowFetch && state.configuration.allowFetchLoopback
        return Verdict.analyse(entries(key), since: since, allowLoopbackReferences: loopback).json
    }
}

/// `status=` of the journal query: an exact status, a class (`4xx`), or `in_flight`.
struct StatusFilter {
    private let match: @Sendable (Int) -> Bool

    init?(_ text: String) {
        if text == "in_flight" {
            match = { $0 == 0 }
        } else if text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)) {
            match = { $0 / 100 == digit }
        } else if let code = Int(text) {
            match = { $0 == code }
        } else {
            return nil
        }
    }

    func matches(_ status: Int) -> Bool { match(status) }
}
