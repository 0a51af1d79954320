import FakelabAPI

/// `no_backoff` (SHOULD): three or more tries of one request, each after a retryable failure
/// (5xx, 408/425/429, a cut or spoiled answer), whose waits do not grow: no wait after the
/// first is at least `growth` times the first (plus 50 ms). Waits after an answer that carried
/// `retry_after` are the server's to set and are left out; at least two others are needed.
public struct NoBackoff: FindingRule {
    public init() {}
    public let name = "no_backoff"
    public let level = Finding.Level.should
    public let advice = "Back off between retries (exponential with jitter: 1 s, 2 s, 4 s …) unless Retry-After says how long to wait."
    /// How much longer a later wait must be than the first to count as backing off.
    public static let growth = 1.5
    /// Tries needed before the pattern counts.
    public static let minimumTries = 3

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        traffic.chains.compactMap { tries in
            guard tries.count >= Self.minimumTries, tries.dropLast().allSatisfy(\.answerIsRetryable) else { return nil }
            let waits = zip(tries, tries.dropFirst()).filter { $0.0.retryAfter == nil }.map { $1.time - $0.answeredAt }
            guard waits.count >= 2, let first = waits.first else { return nil }
            guard waits.dropFirst().allSatisfy({ $0 < first * Self.growth + 0.05 }) else { return nil }
            return Occurrence(
                "\(tries.count) tries of \(tries[0].method) \(tries[0].path) (\(Evidence.seqs(tries))) after "
                    + tries.dropLast().map(\.failureText).joined(separator: ", ") + " waited "
                    + waits.map(Evidence.seconds).joined(separator: ", ") + ": the waits do not grow",
                requests: tries.map(\.seq)
            )
        }
    }
}

extension JournalEntry {
    /// `503`, `no answer`, `200 (truncate)`: the status and the fault, for messages.
    var failureText: String { statusText + (fault.map { " (\($0))" } ?? "") }
}
