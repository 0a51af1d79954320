import FakelabAPI
import FakelabChecks

/// The terminal form of a verdict: a summary line, one row per finding with its evidence
/// (`#seq METHOD path → status`, labelled from the journal), then the advice of each finding
/// once. Every text the fake gave is passed through the token mask; the key is shown masked.
public struct VerdictTable: Sendable {
    /// The verdict JSON of `GET /__fakelab/verdict` (docs/conform.md, "A verdict without an adapter"), decoded.
    public struct Verdict: Sendable, Equatable {
        public var findings: [Finding]
        /// Requests the verdict read.
        public var requests: Int

        public var hasMust: Bool { findings.contains { $0.level == .must } }

        /// `{"ok", "findings": [{"finding", "level", "message", "requests", "advice"}], "counts": {"requests", …}}`.
        public init(json: JSONValue) throws(VerdictError) {
            guard let items = json["findings"]?.arrayValue else { throw .malformed("the verdict answer has no findings array") }
            var findings: [Finding] = []
            for (i, item) in items.enumerated() {
                guard let name = item["finding"]?.stringValue, let level = item["level"]?.stringValue.flatMap(Finding.Level.init(rawValue:))
                else { throw .malformed("the verdict's findings[\(i)] has no finding name or level MUST/SHOULD") }
                findings.append(
                    Finding(
                        finding: name,
                        level: level,
                        message: item["message"]?.stringValue ?? "",
                        requests: item["requests"]?.arrayValue?.compactMap(\.intValue) ?? [],
                        advice: item["advice"]?.stringValue ?? ""
                    )
                )
            }
            self.findings = findings
            requests = json["counts"]?["requests"]?.intValue ?? 0
        }
    }

    public var verdict: Verdict
    /// The key's journal, to label the seqs (entries it no longer holds are said to be gone).
    public var journal: [JournalEntry]
    public var key: String
    public var url: String

    public init(verdict: Verdict, journal: [JournalEntry], key: String, url: String) {
        (self.verdict, self.journal, self.key, self.url) = (verdict, journal, key, url)
    }

    public func render() -> String {
        let findings = verdict.findings
        let must = findings.filter { $0.level == .must }.count
        let head = "verdict for \(Secrets.mask(key)) at \(url): \(must > 0 ? "FAIL" : "ok")"
        let counts = "\(must) MUST, \(findings.count - must) SHOULD finding(s) over \(verdict.requests) request(s)"
        guard !findings.isEmpty else { return "\(head) — no findings over \(verdict.requests) request(s)" }
        let width = max(7, findings.map(\.finding.count).max() ?? 7)
        let indent = String(repeating: " ", count: 8 + width + 2)
        var lines = ["\(head) — \(counts)", "", "LEVEL   " + pad("FINDING", width) + "  EVIDENCE"]
        for f in findings {
            lines.append(pad(f.level.rawValue, 6) + "  " + pad(f.finding, width) + "  " + Secrets.maskTokens(in: f.message))
            lines += f.requests.map { indent + label($0) }
        }
        lines += ["", "advice:"]
        var seen: Set<String> = []
        for f in findings where seen.insert(f.finding).inserted && !f.advice.isEmpty {
            lines.append("  " + pad(f.finding, width) + "  " + Secrets.maskTokens(in: f.advice))
        }
        return lines.joined(separator: "\n")
    }

    /// `#4  POST /v1/images/generations → 429`.
    func label(_ seq: Int) -> String {
        guard let e = journal.first(where: { $0.seq == seq }) else { return "#\(seq)  (no longer in the journal)" }
        let status = e.status.map(String.init) ?? "(no answer)"
        return Secrets.maskTokens(in: "#\(seq)  \(e.method) \(e.path) → \(status)")
    }

    private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
}
