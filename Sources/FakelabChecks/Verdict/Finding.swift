import FakelabAPI

/// One thing a client did wrong in its traffic, graded MUST or SHOULD, with the requests that
/// show it and what to do instead (docs/conform.md, "A verdict without an adapter").
public struct Finding: Sendable, Equatable {
    /// MUST findings fail the verdict; SHOULD findings are reported only.
    public enum Level: String, Sendable, Equatable {
        case must = "MUST"
        case should = "SHOULD"
    }

    /// The finding's name (`retry_after_ignored`, …).
    public var finding: String
    /// MUST or SHOULD.
    public var level: Level
    /// What happened, naming the requests (`#seq METHOD path → status`).
    public var message: String
    /// The journal `seq` numbers involved, ascending.
    public var requests: [Int]
    /// What the client should do, in one sentence.
    public var advice: String

    /// A finding with its evidence and advice.
    public init(finding: String, level: Level, message: String, requests: [Int], advice: String) {
        (self.finding, self.level, self.message, self.requests, self.advice) = (finding, level, message, requests, advice)
    }

    /// `{"finding", "level", "message", "requests", "advice"}`.
    public var json: JSONValue {
        [
            "finding": .string(finding), "level": .string(level.rawValue), "message": .string(message),
            "requests": .array(requests.map(JSONValue.int)), "advice": .string(advice),
        ]
    }
}

/// One rule of the verdict: it reads the traffic and reports each time it was broken.
/// Adding a finding: a file in `Findings/` with a `FindingRule` value, and one line in `FindingRegistry.rules`.
public protocol FindingRule: Sendable {
    /// The finding's name.
    var name: String { get }
    var level: Finding.Level { get }
    /// What the client should do instead, in one sentence.
    var advice: String { get }
    /// Each time the rule was broken: a message naming the requests, and their seqs.
    func occurrences(in traffic: Traffic) -> [Occurrence]
}

/// One breach of a rule, before the rule's name, level and advice are added.
public struct Occurrence: Sendable, Equatable {
    /// What happened, naming the requests.
    public var message: String
    /// The journal `seq` numbers involved.
    public var requests: [Int]

    /// An occurrence; `requests` are sorted and made unique.
    public init(_ message: String, requests: [Int]) {
        self.message = message
        self.requests = Array(Set(requests)).sorted()
    }
}

/// The traffic a verdict reads: the key's journal entries (already limited by `since`) and
/// what is shared between rules, computed once.
public struct Traffic: Sendable {
    /// The entries read, oldest first.
    public let entries: [JournalEntry]
    /// Loopback reference URLs are allowed (a fake started with loopback fetching on).
    public let allowLoopbackReferences: Bool
    /// Runs of tries of one fingerprint, each after a failed answer (two or more tries).
    let chains: [[JournalEntry]]

    /// The traffic of `entries`, with the shared groupings computed.
    public init(entries: [JournalEntry], allowLoopbackReferences: Bool = false) {
        self.entries = entries
        self.allowLoopbackReferences = allowLoopbackReferences
        self.chains = Retries.chains(entries)
    }
}
