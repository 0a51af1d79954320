import FakelabAPI

/// `retry_after_ignored` (MUST): a try of the same request (fingerprint) sent sooner after an
/// answer than its `retry_after` (`Retry-After` seconds or HTTP-date, or `error.retry_after`),
/// measured from the end of that answer, with slack of 50 ms or 5 %, whichever is more.
public struct RetryAfterIgnored: FindingRule {
    public init() {}
    public let name = "retry_after_ignored"
    public let level = Finding.Level.must
    public let advice = "Wait at least as long as Retry-After (seconds or an HTTP-date) or error.retry_after says before sending the request again."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        Retries.early(traffic.entries).map { r in
            Occurrence(
                "\(r.next.label) came \(Evidence.seconds(r.waited)) after \(r.previous.label), which asked to wait \(Evidence.seconds(r.asked))",
                requests: [r.previous.seq, r.next.seq]
            )
        }
    }
}
