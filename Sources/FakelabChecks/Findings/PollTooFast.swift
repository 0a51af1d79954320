import FakelabAPI

/// `poll_too_fast` (SHOULD): the median gap between consecutive status reads of one task, on
/// the key's clock, is under `guidanceSeconds` (minus slack of 5 %, at least 50 ms). Gaps after
/// a failed read or one that carried `retry_after` belong to the retry rules and are left out.
public struct PollTooFast: FindingRule {
    public init() {}
    public let name = "poll_too_fast"
    public let level = Finding.Level.should
    public let advice = "Poll an image task every 3–5 s (or as Retry-After says), not in a tight loop."
    /// TokenLab's guidance: "Poll every 3–5 s for images" (docs/tokenlab.md §4.5;
    /// the docs' Python example polls with `interval=3`).
    public static let guidanceSeconds = 3.0

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        var order: [String] = []
        var reads: [String: [JournalEntry]] = [:]
        for e in traffic.entries where RoutePattern.poll.matches(e) {
            guard let id = e.readTaskID else { continue }
            if reads[id] == nil { order.append(id) }
            reads[id, default: []].append(e)
        }
        let floor = Self.guidanceSeconds - Retries.slack(Self.guidanceSeconds)
        return order.compactMap { id in
            let list = reads[id]!
            let gaps = zip(list, list.dropFirst()).filter { !$0.0.answerFailed && $0.0.retryAfter == nil }.map { $1.time - $0.time }
            guard let median = Self.median(gaps), median < floor else { return nil }
            return Occurrence(
                "task \(id) was read every \(Evidence.seconds(median)) (median of \(gaps.count) gap(s) between \(Evidence.seqs(list))), "
                    + "faster than TokenLab's guidance of 3–5 s",
                requests: list.map(\.seq)
            )
        }
    }

    /// The middle value (mean of the two middle ones for an even count); nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
