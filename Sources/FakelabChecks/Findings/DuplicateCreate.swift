import FakelabAPI

/// `duplicate_create` (MUST): a create sent again (same fingerprint) after an answer that was
/// cut or never came (no status, 499, or a `delay`, `hang`, `reset`, `truncate`, `dribble`,
/// `empty_reply` or `malformed_json` fault), with no read of a task's status or the task list
/// in between. The first create may have made a task the client never heard of. Two creates
/// carrying the same `Idempotency-Key` header are safe and not reported.
public struct DuplicateCreate: FindingRule {
    public init() {}
    public let name = "duplicate_create"
    public let level = Finding.Level.must
    public let advice =
        "After a timeout or a cut answer, look for the task the first create may have made (read the task list or its status) before creating again."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        var cut: [String: JournalEntry] = [:]
        var out: [Occurrence] = []
        for e in traffic.entries {
            if Self.isLookup(e) {
                cut = [:]
                continue
            }
            guard RoutePattern.create.matches(e) else { continue }
            if let first = cut[e.fingerprint], !Self.sameIdempotencyKey(first, e) {
                out.append(
                    Occurrence(
                        "\(first.label)\(first.fault.map { " (\($0))" } ?? "") was cut, and \(e.label) sent the same create again "
                            + "without first looking for the task it may have made",
                        requests: [first.seq, e.seq]
                    )
                )
            }
            cut[e.fingerprint] = e.answerWasCut ? e : nil
        }
        return out
    }

    /// A read that could find the task: a status read or `GET /v1/tasks` (the list).
    static func isLookup(_ e: JournalEntry) -> Bool {
        RoutePattern.poll.matches(e) || (e.method == "GET" && e.path == "/v1/tasks")
    }

    static func sameIdempotencyKey(_ a: JournalEntry, _ b: JournalEntry) -> Bool {
        guard let key = a.headers["idempotency-key"], !key.isEmpty else { return false }
        return b.headers["idempotency-key"] == key
    }
}
