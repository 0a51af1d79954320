import FakelabAPI

/// `poll_after_terminal` (MUST): a task's status read again after a read (or its create answer)
/// returned a terminal status (`TaskStatusText.terminal`).
public struct PollAfterTerminal: FindingRule {
    public init() {}
    public let name = "poll_after_terminal"
    public let level = Finding.Level.must
    public let advice = "Stop polling once a task is completed, failed, cancelled or expired: a terminal task never changes."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        Tasks.readsAfterTerminal(traffic.entries).map { end, reads in
            Occurrence(
                "task \(end.taskID ?? "?") was read \(reads.count) more time(s) after \(end.label) returned \(end.taskStatus ?? "?"): "
                    + Evidence.describe(reads),
                requests: [end.seq] + reads.map(\.seq)
            )
        }
    }
}
