import FakelabAPI

/// `retry_after_respected` (the `/verify` check): every try sent again after an answer with
/// `retry_after` waited that long, from the end of the answer, with slack of 50 ms or 5 %.
/// Tries are grouped by fingerprint, as the verdict's `retry_after_ignored` does.
public struct RetryAfterRespectedCheck: Check {
    public init() {}
    public let name = "retry_after_respected"
    public let arguments: [CheckArgument] = []

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let early = Retries.early(input.journal)
        let asked = input.journal.filter { $0.retryAfter != nil }.count
        return Judgement(
            passed: early.isEmpty,
            expected: "every retry waits at least Retry-After",
            actual: early.isEmpty
                ? "\(asked) answer(s) asked to wait; no retry came early"
                : early.prefix(4).map {
                    "\($0.next.label) came \(Evidence.seconds($0.waited)) after \($0.previous.label), which said wait \(Evidence.seconds($0.asked))"
                }
                .joined(separator: "; "),
            requests: early.flatMap { [$0.previous.seq, $0.next.seq] }
        )
    }
}
