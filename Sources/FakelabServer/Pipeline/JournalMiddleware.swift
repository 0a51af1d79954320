import FakelabAPI
import FakelabHTTP
import HTTPTypes
import Hummingbird

/// Journals an API request for its key: the entry opens when the request arrives (so a client
/// that gives up on a hung answer still shows the request), in the same tenant lock that
/// decides the rate window, a staged rule fault and the key's clock; it completes with the
/// answer, or with 499 (nginx's "client closed request") when the client went away.
struct JournalMiddleware: RouterMiddleware {
    typealias Context = FakelabContext
    let state: ServerServices

    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let key = context.apiKey else { return try await next(request, context) }
        let started = ContinuousClock.now
        let seq = open(request, context, key: key)
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Only cancellation gets here: the envelope inside turned every other error into an answer.
            cancelled(seq, key: key)
            throw error
        }
        complete(seq, response, key: key, notes: context.notes, elapsed: ContinuousClock.now - started)
        return response
    }

    /// Opens the request's entry and admits it (one tenant lock). The synchronous steps of
    /// `handle` live in functions of their own (never inlined): an async function's frame holds
    /// every local it has, and every request on every connection carries this one's.
    @inline(never)
    private func open(_ request: Request, _ context: Context, key: APIKey) -> Int {
        let now = state.now
        let entry = JournalRecord(
            seq: 0,
            time: now,
            method: request.method.rawValue,
            path: request.uriPath,
            query: request.uri.query,
            requestID: context.requestID,
            requestHeaders: request.headers
        )
        let admission = state.tenants.admit(key, arrival: entry, ruleFaults: request.headers.value(.xFakelabFault) == nil)
        context.admission = admission
        context.now = now + admission.offset
        return admission.seq
    }

    @inline(never)
    private func cancelled(_ seq: Int, key: APIKey) {
        state.tenants.complete(key, seq: seq) { $0.status = 499 }
    }

    @inline(never)
    private func complete(_ seq: Int, _ response: Response, key: APIKey, notes: JournalNotes, elapsed: Duration) {
        let now = state.now
        let completion = notes.read { notes in
            // Only error answers carry a Retry-After the journal keeps (a header lookup is a scan).
            let retryAfter =
                response.status.code >= 400
                ? response.headers.value(.retryAfter).flatMap { RetryAfterFormat.seconds(from: $0, now: now) } ?? notes.errorRetryAfter : nil
            let taskID = notes.taskID ?? response.headers.value(.xTaskID)
            return JournalRecord.Completion(
                status: Int(response.status.code),
                durationMS: Float(elapsed.milliseconds),
                notes: notes,
                taskID: taskID,
                retryAfter: retryAfter
            )
        }
        state.tenants.complete(key, seq: seq) { $0.apply(completion) }
    }
}
