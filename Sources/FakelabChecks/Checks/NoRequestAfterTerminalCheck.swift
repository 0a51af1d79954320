import FakelabAPI

/// `no_request_after_terminal` (also `no_poll_after_terminal`, the `/verify` name): no task is
/// read again after a read (or its create answer) returned a terminal status.
public struct NoRequestAfterTerminalCheck: Check {
    public init() {}
    public let name = "no_request_after_terminal"
    public let arguments: [CheckArgument] = []

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let late = Tasks.readsAfterTerminal(input.journal)
        guard let first = late.first ?? Tasks.terminalEntries(input.journal).first.map({ ($0, []) }) else {
            return Judgement(passed: true, expected: "no status read after a terminal status", actual: "no terminal status was read")
        }
        let after = first.1
        return Judgement(
            passed: late.isEmpty,
            expected: "no status read after \(first.0.label) returned \(first.0.taskStatus ?? "")",
            actual: after.isEmpty ? "none" : Evidence.describe(after),
            requests: after.isEmpty ? [] : [first.0.seq] + after.map(\.seq)
        )
    }
}
