/// Where a task's `poll_url` points. TokenLab's docs of 2026-09-25 say image tasks may surface
/// either path (docs/tokenlab.md §4.2); clients must follow `poll_url` verbatim.
public enum PollPath: String, Sendable, CaseIterable {
    case tasks = "/v1/tasks/{id}"
    case imageGenerations = "/v1/images/generations/{id}"

    /// The fake's default (the path TokenLab's examples show).
    public static let `default` = PollPath.tasks

    public func url(for id: String) -> String {
        switch self {
        case .tasks: "/v1/tasks/" + id
        case .imageGenerations: "/v1/images/generations/" + id
        }
    }
}
