import FakelabAPI

/// `polls_use_poll_url`: there are status reads, and each goes to the `poll_url` the create
/// answer gave for its task (`/v1/tasks/{id}` when the journal has none).
public struct PollsUsePollURLCheck: Check {
    public init() {}
    public let name = "polls_use_poll_url"
    public let arguments: [CheckArgument] = []

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let given = Tasks.pollPaths(input.journal)
        let polls = input.journal.filter(RoutePattern.poll.matches)
        let off = polls.filter { p in p.path != (p.taskID.flatMap { given[$0] } ?? PollPath.default.url(for: p.taskID ?? "?")) }
        return Judgement(
            passed: !polls.isEmpty && off.isEmpty,
            expected: "every status read goes to the poll_url (/v1/tasks/{id})",
            actual: polls.isEmpty ? "no status reads" : off.isEmpty ? "\(polls.count) via poll_url" : "elsewhere: " + Evidence.describe(off),
            requests: off.map(\.seq)
        )
    }
}
