import FakelabAPI
import FakelabHTTP
import Hummingbird

/// Task status: `GET /v1/tasks/{id}` and its aliases, one body for all three; `DELETE /v1/tasks/{id}`.
struct TasksController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        for path in ["/v1/tasks/{id}", "/v1/images/{id}", "/v1/images/generations/{id}"] {
            router.get(RouterPath(path)) { request, context in try await status(request, context) }
        }
        router.delete("/v1/tasks/{id}") { request, context in try await cancel(request, context) }
    }

    func status(_ request: Request, _ context: FakelabContext) async throws -> Response {
        let key = try APIKey.require(request, context)
        let id = try Self.taskID(context)
        switch state.tasks.read(id: id, by: key, now: context.now) {
        case .found(let body, let status, let billingID, let pollURL, let results):
            context.notes.update {
                $0.taskID = id
                $0.taskStatus = status.rawValue
                $0.pollURL = pollURL
                if status == .completed { $0.result = JournalEntry.Result(kind: .task, urls: results) }
                $0.response = JournalResponse.keep(bytes: body)
            }
            var headers = HTTPFields()
            headers[.xTaskID] = id
            if let billingID { headers[.xBillingTransactionID] = billingID }
            return .json(bytes: body, headers: headers)
        case .notFound: throw Self.notFound
        case .notOwned: throw Self.notOwned
        }
    }

    /// Image tasks cannot be cancelled (only queued Seedance video tasks can, docs/tokenlab.md §4.4).
    func cancel(_ request: Request, _ context: FakelabContext) async throws -> Response {
        let key = try APIKey.require(request, context)
        let id = try Self.taskID(context)
        let status: TaskStatus
        switch state.tasks.peek(id: id, by: key, now: context.now) {
        case .found(_, let s, _, _, _): status = s
        case .notFound: throw Self.notFound
        case .notOwned: throw Self.notOwned
        }
        if status == .pending {
            throw APIError(status: 400, code: ErrorCode.unsupportedTaskCancel, param: "id", message: "Image tasks cannot be cancelled")
        }
        throw APIError(
            status: 409,
            code: ErrorCode.taskNotCancellable,
            param: "id",
            message: "Task is \(status.rawValue) and can no longer be cancelled"
        )
    }

    static let notFound = APIError(status: 404, code: ErrorCode.asyncTaskNotFound, message: "Task not found or no longer available.")
    static let notOwned = APIError(
        status: 403,
        type: ErrorType.permission,
        code: ErrorCode.taskNotOwned,
        message: "This task belongs to another API key."
    )

    /// `ldtask_` + 32 hex digits (the published pattern of `/v1/images/{id}`).
    static func taskID(_ context: FakelabContext) throws(APIError) -> String {
        let id = context.parameters.get("id") ?? ""
        let hex = id.utf8.dropFirst(7)
        guard id.hasPrefix("ldtask_"), hex.count == 32,
            hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else {
            throw APIError(
                status: 400,
                code: ErrorCode.invalidTaskID,
                param: "id",
                message: "'\(id)' is not a task id (ldtask_ followed by 32 hex digits)"
            )
        }
        return id
    }
}
