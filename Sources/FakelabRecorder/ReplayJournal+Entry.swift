import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import HTTPTypes
import NIOCore

extension ReplayJournalRecord {
    /// The typed entry, as `fakelab serve` renders its own: tokens masked in every text a
    /// client could have put a key in, credential headers masked. What the fake learns from its
    /// controllers (the task, the error, the result) is read here from the answer served; an
    /// entry in flight has no status and nothing of an answer.
    var entry: JournalEntry {
        let (summary, fingerprint) = bodySummary
        var e = JournalEntry(
            seq: seq,
            time: time,
            method: method,
            path: path,
            query: query,
            requestID: completion?.requestID ?? "",
            status: completion?.status,
            durationMS: ((completion?.durationMS ?? 0) * 1000).rounded() / 1000,
            headers: headerMap,
            body: summary,
            fingerprint: fingerprint
        )
        e.model = summary?.fields["model"]?.stringValue
        guard let completion else { return JournalRedaction.shown(e) }
        let notes = answerNotes(completion.answer)
        // The body's task id, else the answer's `X-Task-ID` (as the fake's journal does).
        (e.taskID, e.taskStatus, e.pollURL) = (notes.taskID ?? completion.taskID, notes.taskStatus, notes.pollURL)
        e.error = notes.error
        if completion.status >= 400 { e.retryAfter = completion.retryAfter ?? notes.errorRetryAfter }
        e.result = result(notes, status: completion.status)
        return JournalRedaction.shown(e)
    }

    /// Names a header the journal adds when headers past the record's bounds were not kept.
    static let headersCutName = "x-fakelab-journal-headers-cut"

    /// Header names lower-case; credentials masked, tokens masked in every other value; a cut
    /// noted (`x-fakelab-journal-headers-cut: 12 headers (9000 bytes) not kept`).
    var headerMap: [String: String] {
        var out: [String: String] = [:]
        for h in headers {
            let name = h.name.lowercased()
            out[name] = JournalRedaction.header(name, h.value)
        }
        if let authorization { out["authorization"] = authorization }
        if headersCut.count > 0 { out[Self.headersCutName] = "\(headersCut.count) headers (\(headersCut.bytes) bytes) not kept" }
        return out
    }

    var bodySummary: (JournalEntry.Body?, String) {
        switch body {
        case .none, .other:
            let kind: JournalEntry.Body.Kind? = if case .other = body { .other } else { nil }
            let summary = kind.map { JournalEntry.Body(kind: $0) }
            return (summary, JournalEntry.Fingerprint.make(method: method, path: path, body: summary))
        case .json(let raw):
            guard case .object(let fields)? = try? JSONValue.parse(raw) else {
                return (JournalEntry.Body(kind: .other), JournalEntry.Fingerprint.make(method: method, path: path, body: nil))
            }
            let fingerprint = JournalEntry.Fingerprint.make(method: method, path: path, kind: .json, fields: fields, files: [])
            return (JournalRedaction.body(kind: .json, fields: fields, files: []), fingerprint)
        case .summary(let summary, let fingerprint):
            return (summary, fingerprint)
        }
    }

    func answerNotes(_ answer: Answer) -> ReplayAnswerNotes {
        switch answer {
        case .none: ReplayAnswerNotes(json: nil, path: path)
        case .json(let buffer): ReplayAnswerNotes(json: try? JSONValue.parse(Array(buffer.readableBytesView)), path: path)
        case .notes(let notes): notes
        }
    }

    /// What a 2xx create or a finished task read delivered (as the fake's journal says it).
    func result(_ notes: ReplayAnswerNotes, status: Int) -> JournalEntry.Result? {
        guard (200..<300).contains(status) else { return nil }
        if RoutePattern.create.matches(method: method, path: path) {
            if notes.taskID != nil, !TaskStatusText.isTerminal(notes.taskStatus) { return JournalEntry.Result(kind: .task) }
            guard notes.hasData else { return nil }
            return JournalEntry.Result(kind: notes.taskID == nil ? .inline : .task, urls: notes.urls, b64: notes.b64)
        }
        guard notes.taskID != nil, TaskStatusText.isSuccess(notes.taskStatus) else { return nil }
        return JournalEntry.Result(kind: .task, urls: notes.urls, b64: notes.b64)
    }
}

/// What the fake's journal notes about an answer, read from its JSON: the error envelope, the
/// task (its `X-Task-ID` header is the entry's fallback: `ReplayJournalRecord.entry`), and the
/// images delivered.
struct ReplayAnswerNotes: Sendable {
    var error: JournalEntry.ErrorInfo?
    var errorRetryAfter: Double?
    var taskID: String?
    var taskStatus: String?
    var pollURL: String?
    var hasData = false
    var urls: [String] = []
    var b64 = 0

    init(json: JSONValue?, path: String) {
        guard let json, case .object(let o) = json else { return }
        if case .object(let e)? = o["error"] {
            error = JournalEntry.ErrorInfo(
                type: e["type"]?.stringValue,
                code: e["code"]?.stringValue,
                param: e["param"]?.stringValue,
                message: e["message"]?.stringValue,
                retryable: e["retryable"]?.boolValue
            )
            errorRetryAfter = e["retry_after"]?.doubleValue
        }
        let isTask = o["object"]?.stringValue == "image.task" || o["task_id"] != nil || o["poll_url"] != nil
        if isTask {
            taskID = o["task_id"]?.stringValue ?? o["id"]?.stringValue
            taskStatus = o["status"]?.stringValue
            pollURL = o["poll_url"]?.stringValue
        }
        if let data = o["data"]?.arrayValue {
            hasData = !data.isEmpty
            urls = data.compactMap { $0["url"]?.stringValue }
            b64 = data.filter { $0["b64_json"]?.stringValue != nil }.count
        }
    }
}
