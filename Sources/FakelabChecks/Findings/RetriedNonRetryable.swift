import FakelabAPI

/// `retried_non_retryable` (MUST): the same request (fingerprint) sent again after an answer
/// that said not to: 400, 401, 402, 403, 404 or 413 (unless its envelope said `retryable: true`),
/// or any answer with `error.retryable == false` (e.g. a 503 `all_channels_failed` / `no_channels`).
/// Result image fetches are left to `expired_url_refetched`.
public struct RetriedNonRetryable: FindingRule {
    public init() {}
    public let name = "retried_non_retryable"
    public let level = Finding.Level.must
    public let advice = "Do not resend a request that was refused as not retryable; fix the request, key, balance or size first, then send it."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        var refused: [String: JournalEntry] = [:]
        var again: [String: [JournalEntry]] = [:]
        var order: [String] = []
        for e in traffic.entries where !e.path.hasPrefix("/fakelab/") {
            if refused[e.fingerprint] != nil {
                again[e.fingerprint, default: []].append(e)
            } else if e.answerIsNonRetryable {
                refused[e.fingerprint] = e
                order.append(e.fingerprint)
            }
        }
        return order.compactMap { fp in
            guard let first = refused[fp], let repeats = again[fp] else { return nil }
            let why = first.error?.code.map { " (\($0))" } ?? ""
            return Occurrence(
                "\(first.label)\(why) was not retryable, yet the same request came again \(repeats.count) time(s): \(Evidence.describe(repeats))",
                requests: [first.seq] + repeats.map(\.seq)
            )
        }
    }
}
