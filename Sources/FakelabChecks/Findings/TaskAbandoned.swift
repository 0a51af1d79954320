import FakelabAPI

/// `task_abandoned` (SHOULD): a task a 2xx create answer made that no later answer showed in a
/// terminal status, and that was not cancelled (`DELETE /v1/tasks/{id}` answered 2xx).
public struct TaskAbandoned: FindingRule {
    public init() {}
    public let name = "task_abandoned"
    public let level = Finding.Level.should
    public let advice = "Poll every task you create until it is completed or failed (or cancel it), and report its outcome."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        let cancelled = Set(
            traffic.entries.filter { $0.method == "DELETE" && RoutePattern.isStatusPath($0.path) && (200..<300).contains($0.status ?? 0) }
                .compactMap(\.readTaskID)
        )
        return Tasks.created(traffic.entries).compactMap { task in
            guard !TaskStatusText.isTerminal(task.create.taskStatus), !cancelled.contains(task.id) else { return nil }
            guard !task.reads.contains(where: { TaskStatusText.isTerminal($0.taskStatus) }) else { return nil }
            let last = task.reads.last.map { "last read \($0.label): \($0.taskStatus ?? "no status")" } ?? "never read"
            return Occurrence(
                "task \(task.id) made by \(task.create.label) was never read to a terminal status (\(last))",
                requests: [task.create.seq] + task.reads.map(\.seq)
            )
        }
    }
}
