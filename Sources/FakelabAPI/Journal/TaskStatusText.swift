/// Task statuses as text, the way clients and the journal see them. The one owner of the
/// terminal set: the statuses after which a task never changes and must not be polled again
/// (TokenLab's MCP server treats `completed, succeeded, failed, cancelled, canceled, expired`
/// as terminal; the fake itself answers `completed` or `failed`).
public enum TaskStatusText {
    /// Terminal statuses, lower-case.
    public static let terminal: Set<String> = ["completed", "succeeded", "failed", "cancelled", "canceled", "expired"]

    /// The terminal statuses that delivered a result, lower-case.
    public static let succeeded: Set<String> = ["completed", "succeeded"]

    /// Whether `status` (any case) is a terminal status that delivered a result.
    public static func isSuccess(_ status: String?) -> Bool {
        guard let status else { return false }
        return succeeded.contains(status.lowercased())
    }

    /// Whether `status` (any case) is terminal; nil is not.
    public static func isTerminal(_ status: String?) -> Bool {
        guard let status else { return false }
        return terminal.contains(status.lowercased())
    }
}
