/// Where a task's `poll_url` points. TokenLab's docs of 2026-09-25 say image tasks may surface
/// either path (docs/tokenlab.md §4.2); clients must follow `poll_url` verbatim.
public enum PollPath: String, Sendable, CaseIterable {
    case tasks = "/v1/tasks/{id}"
    case imageGenerations = "/v1/images/generations/{id}"

    /// Every route that reads a task's status: the two poll paths and the `/v1/images/{id}`
    /// fallback TokenLab also answers (docs/tokenlab.md §4.1).
    public static let statusRoutes = [PollPath.tasks.rawValue, "/v1/images/{id}", PollPath.imageGenerations.rawValue]

    /// The fake's default (the path TokenLab's examples show).
    public static let `default` = PollPath.tasks

    public func url(for id: String) -> String {
        switch self {
        case .tasks: "/v1/tasks/" + id
        case .imageGenerations: "/v1/images/generations/" + id
        }
    }
}
