import FakelabAPI

/// `b64_expected_from_task` (SHOULD): a create asked `response_format: b64_json` but was answered
/// with a task, which delivers URLs only; the task was read to `completed` and none of the result
/// URLs it delivered was fetched afterwards: the client looked for `b64_json` in the task read.
public struct B64ExpectedFromTask: FindingRule {
    public init() {}
    public let name = "b64_expected_from_task"
    public let level = Finding.Level.should
    public let advice =
        "A task delivers data[].url only, never b64_json: download the URL, or make a synchronous request when you need b64_json inline."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        Tasks.created(traffic.entries).compactMap { task in
            guard task.create.values["response_format"]?.stringValue == "b64_json" else { return nil }
            guard task.create.result?.kind == .task || task.create.result == nil else { return nil }
            guard let done = task.reads.first(where: { TaskStatusText.isSuccess($0.taskStatus) })
            else { return nil }
            let paths = Set((done.result?.urls ?? []).map(Tasks.path(of:)))
            let fetched = traffic.entries.contains { e in
                e.seq > done.seq && e.method == "GET" && (paths.isEmpty ? e.path.hasPrefix("/fakelab/") : paths.contains(e.path))
            }
            guard !fetched else { return nil }
            return Occurrence(
                "\(task.create.label) asked for b64_json and got task \(task.id); \(done.label) delivered URLs only, and none was fetched",
                requests: [task.create.seq, done.seq]
            )
        }
    }
}
