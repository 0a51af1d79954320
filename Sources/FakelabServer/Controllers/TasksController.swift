import FakelabAPI
import FakelabHTTP
import Hummingbird

/// Task status: `GET /v1/tasks/{id}` and its aliases, one body for all three; `DELETE /v1/tasks/{id}`.
struct TasksController {
    let state: ServerServices

    func add(to router: some RouterMethods<FakelabContext>) {
        for path in PollPath.statusRoutes {
            router.get(RouterPath(path)) { request, context in try await status(request, context) }
        }
        router.delete(RouterPath(PollPath.tasks.rawValue)) { request, context in try await cancel(request, context) }
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
        case .notFound: throw APIError.taskNotFound
        case .notOwned: throw APIError.taskNotOwned
        }
    }

    /// Image tasks cannot be cancelled (only queued Seedance video tasks can, docs/tokenlab.md §4.4).
    func cancel(_ request: Request, _ context: FakelabContext) async throws -> Response {
        let key = try APIKey.require(request, context)
        let id = try Self.taskID(context)
        let status: TaskStatus
        switch state.tasks.peek(id: id, by: key, now: context.now) {
        case .found(_, let s, _, _, _): status = s
        case .notFound: throw APIError.taskNotFound
        case .notOwned: throw APIError.taskNotOwned
        }
        if status == .pending {
            throw APIError.unsupportedTaskCancel
        }
        throw APIError.taskNotCancellable(status: status.rawValue)
    }

    /// `ldtask_` + 32 hex digits (the published pattern of `/v1/images/{id}`).
    static func taskID(_ context: FakelabContext) throws(APIError) -> String {
        let id = context.parameters.get("id") ?? ""
        let hex = id.utf8.dropFirst(7)
        guard id.hasPrefix("ldtask_"), hex.count == 32,
            hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else {
            throw .invalidTaskID(id)
        }
        return id
    }
}
