import FakelabAPI

/// `expired_url_refetched` (SHOULD): a result image URL (`/fakelab/images/…` or
/// `/fakelab/expired/…`) fetched again after it answered 404.
public struct ExpiredURLRefetched: FindingRule {
    public init() {}
    public let name = "expired_url_refetched"
    public let level = Finding.Level.should
    public let advice = "A result URL that answers 404 has expired: report it, or read the task again for a fresh URL, instead of fetching it again."
    /// Where the fake serves result images.
    public static let prefixes = ["/fakelab/images/", "/fakelab/expired/"]

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        var gone: [String: JournalEntry] = [:]
        var again: [String: [JournalEntry]] = [:]
        var order: [String] = []
        for e in traffic.entries where e.method == "GET" && Self.prefixes.contains(where: e.path.hasPrefix) {
            if gone[e.path] != nil {
                again[e.path, default: []].append(e)
            } else if e.status == 404 {
                gone[e.path] = e
                order.append(e.path)
            }
        }
        return order.compactMap { path in
            guard let first = gone[path], let repeats = again[path] else { return nil }
            return Occurrence(
                "\(first.label) had expired, yet it was fetched again \(repeats.count) time(s): \(Evidence.describe(repeats))",
                requests: [first.seq] + repeats.map(\.seq)
            )
        }
    }
}
