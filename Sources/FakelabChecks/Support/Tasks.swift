import FakelabAPI

/// What the journal says about tasks: who made them, where to poll, when they ended.
enum Tasks {
    /// The path part of a `poll_url` (absolute or relative), without query or fragment.
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        return String(rest)
    }

    /// Task id → the path of the first `poll_url` an answer gave for it.
    static func pollPaths(_ journal: [JournalEntry]) -> [String: String] {
        var out: [String: String] = [:]
        for e in journal {
            if let id = e.taskID, let url = e.pollURL, out[id] == nil { out[id] = path(of: url) }
        }
        return out
    }

    /// Entries whose answer gave a terminal task status (a read, or a create that finished at once).
    static func terminalEntries(_ journal: [JournalEntry]) -> [JournalEntry] {
        journal.filter { $0.taskID != nil && TaskStatusText.isTerminal($0.taskStatus) }
    }

    /// For each task read after it was seen terminal: the first terminal entry and the reads
    /// after it, in order of the terminal entry.
    static func readsAfterTerminal(_ journal: [JournalEntry]) -> [(JournalEntry, [JournalEntry])] {
        var ended: [String: JournalEntry] = [:]
        var late: [String: [JournalEntry]] = [:]
        for e in journal {
            guard let id = e.taskID else { continue }
            if ended[id] != nil, RoutePattern.poll.matches(e) {
                late[id, default: []].append(e)
            } else if ended[id] == nil, TaskStatusText.isTerminal(e.taskStatus) {
                ended[id] = e
            }
        }
        return late.compactMap { id, reads in ended[id].map { ($0, reads) } }.sorted { $0.0.seq < $1.0.seq }
    }

    /// A task a create answer made: its id, the create and the reads of it after.
    struct Created {
        let id: String
        let create: JournalEntry
        var reads: [JournalEntry]
    }

    /// Tasks made by 2xx create answers, in order, with the status reads of each.
    static func created(_ journal: [JournalEntry]) -> [Created] {
        var order: [String] = []
        var tasks: [String: Created] = [:]
        for e in journal {
            if RoutePattern.create.matches(e), let id = e.taskID, let status = e.status, (200..<300).contains(status), tasks[id] == nil {
                order.append(id)
                tasks[id] = Created(id: id, create: e, reads: [])
            } else if RoutePattern.poll.matches(e), let id = e.readTaskID, tasks[id] != nil {
                tasks[id]!.reads.append(e)
            }
        }
        return order.compactMap { tasks[$0] }
    }
}
