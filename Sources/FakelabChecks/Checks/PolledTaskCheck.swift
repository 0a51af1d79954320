import FakelabAPI

/// `polled_task`: at least `min` (default 1) status reads of a task.
public struct PolledTaskCheck: Check {
    public init() {}
    public let name = "polled_task"
    public let arguments = [CheckArgument("min", .integer, "at least this many reads; default 1")]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let polls = input.journal.filter { RoutePattern.poll.matches($0) && $0.taskID != nil }
        let min = Arguments(arguments).int("min") ?? 1
        return Judgement(
            passed: polls.count >= min,
            expected: "at least \(min) status read(s) of the task",
            actual: "\(polls.count): " + Evidence.describe(polls),
            requests: polls.map(\.seq)
        )
    }
}
