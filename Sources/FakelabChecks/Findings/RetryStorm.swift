import FakelabAPI

/// `retry_storm` (MUST): more than `maximumTries` tries in a row of one request (fingerprint),
/// each sent after the previous try failed.
public struct RetryStorm: FindingRule {
    public init() {}
    public let name = "retry_storm"
    public let level = Finding.Level.must
    public let advice = "Cap retries at a few tries with backoff, then give up and report the error instead of hammering a failing service."
    /// The most tries of one request a careful client makes before giving up (the OpenAI SDK's
    /// default is 3; 6 leaves room for an application retry around it).
    public static let maximumTries = 6

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        traffic.chains.filter { $0.count > Self.maximumTries }.map { tries in
            Occurrence(
                "\(tries[0].method) \(tries[0].path) was tried \(tries.count) times in a row (more than \(Self.maximumTries)), each after a failed answer: "
                    + "#\(tries[0].seq) … #\(tries.last!.seq)",
                requests: tries.map(\.seq)
            )
        }
    }
}
