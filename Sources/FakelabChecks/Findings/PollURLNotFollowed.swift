import FakelabAPI

/// `poll_url_not_followed` (MUST): a status read of a task at another path than the `poll_url`
/// an answer gave for it (compared by path; the query is ignored).
public struct PollURLNotFollowed: FindingRule {
    public init() {}
    public let name = "poll_url_not_followed"
    public let level = Finding.Level.must
    public let advice = "Poll exactly the poll_url the create answer gave (it differs by model and route); do not build the status path yourself."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        let given = Tasks.pollPaths(traffic.entries)
        var order: [String] = []
        var off: [String: [JournalEntry]] = [:]
        for e in traffic.entries where RoutePattern.poll.matches(e) {
            guard let id = e.readTaskID, let path = given[id], e.path != path else { continue }
            if off[id] == nil { order.append(id) }
            off[id, default: []].append(e)
        }
        return order.map { id in
            let source = traffic.entries.first { $0.taskID == id && $0.pollURL != nil }
            let reads = off[id]!
            return Occurrence(
                "\(source.map { "\($0.label) gave" } ?? "the answer gave") poll_url \(given[id]!) for task \(id), but it was read at another path: "
                    + Evidence.describe(reads),
                requests: (source.map { [$0.seq] } ?? []) + reads.map(\.seq)
            )
        }
    }
}
