import FakelabAPI

/// The verdict on a key's traffic (`GET /__fakelab/verdict`, issue 15): every finding of every
/// rule in `FindingRegistry`, computed from the journal at read time.
public enum Verdict {
    /// Reads `journal` (entries with `seq > since` when given) and reports what the client did wrong.
    public static func analyse(_ journal: [JournalEntry], since: Int? = nil, allowLoopbackReferences: Bool = false) -> VerdictReport {
        let entries = since.map { s in journal.filter { $0.seq > s } } ?? journal
        let traffic = Traffic(entries: entries, allowLoopbackReferences: allowLoopbackReferences)
        var findings: [Finding] = []
        for rule in FindingRegistry.rules {
            for o in rule.occurrences(in: traffic) {
                findings.append(Finding(finding: rule.name, level: rule.level, message: o.message, requests: o.requests, advice: rule.advice))
            }
        }
        findings.sort { ($0.requests.first ?? 0, $0.finding, $0.message) < ($1.requests.first ?? 0, $1.finding, $1.message) }
        return VerdictReport(findings: findings, requests: entries.count)
    }
}

/// What `Verdict.analyse` found: `ok` when no MUST finding, the findings in order of their
/// first request, and counts.
public struct VerdictReport: Sendable, Equatable {
    /// How many requests were read, and how many findings of each level.
    public struct Counts: Sendable, Equatable {
        /// Requests read.
        public var requests: Int
        /// MUST findings.
        public var must: Int
        /// SHOULD findings.
        public var should: Int

        /// Counts as given.
        public init(requests: Int, must: Int, should: Int) { (self.requests, self.must, self.should) = (requests, must, should) }
    }

    /// In order of their first request.
    public var findings: [Finding]
    /// Requests read and findings per level.
    public var counts: Counts
    /// True when no MUST finding exists (SHOULD findings do not fail it).
    public var ok: Bool { counts.must == 0 }

    /// A report of `findings` over `requests` requests; counts are derived.
    public init(findings: [Finding], requests: Int) {
        self.findings = findings
        self.counts = Counts(
            requests: requests,
            must: findings.filter { $0.level == .must }.count,
            should: findings.filter { $0.level == .should }.count
        )
    }

    /// `{"ok", "findings": […], "counts": {"requests", "must", "should"}}`.
    public var json: JSONValue {
        [
            "ok": .bool(ok), "findings": .array(findings.map(\.json)),
            "counts": ["requests": .int(counts.requests), "must": .int(counts.must), "should": .int(counts.should)],
        ]
    }
}

/// Every finding rule, by name. Adding one: a file in `Findings/` and a line in `rules`.
public enum FindingRegistry {
    /// The rules, in report order for ties.
    public static let rules: [any FindingRule] = [
        RetriedNonRetryable(), RetryAfterIgnored(), NoBackoff(), RetryStorm(), DuplicateCreate(), PollAfterTerminal(),
        PollURLNotFollowed(), PollTooFast(), TaskAbandoned(), UnsupportedFieldSent(), ModelMissing(), UnsafeReferenceURL(),
        B64ExpectedFromTask(), ExpiredURLRefetched(),
    ]

    /// Every rule by name.
    public static let all: [String: any FindingRule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0) })
}
