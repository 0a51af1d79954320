import FakelabAPI
import FakelabChecks

// A small language for synthetic journals, so a test reads as what the client did:
//
//     journal(
//         create(at: 0).answered(429).retryAfter(2),
//         create(at: 0.5)
//     )

/// The entries numbered 1…n in the order given.
func journal(_ entries: JournalEntry...) -> [JournalEntry] { numbered(entries) }

/// The entries numbered 1…n in the order given.
func numbered(_ entries: [JournalEntry]) -> [JournalEntry] {
    entries.enumerated().map { i, entry in
        var e = entry
        e.seq = i + 1
        return e
    }
}

/// The create body most tests send.
let cupPrompt: [String: JSONValue] = ["model": "gpt-image-2", "prompt": "a cup"]

/// A JSON image create, answered 200 inline.
func create(_ fields: [String: JSONValue] = cupPrompt, at time: Double = 0, path: String = "/v1/images/generations") -> JournalEntry {
    var e = JournalEntry(
        seq: 0,
        time: time,
        method: "POST",
        path: path,
        requestID: "req_\(Int(time * 1000))",
        status: 200,
        headers: ["content-type": "application/json"],
        body: .init(kind: .json, fields: fields)
    )
    e.model = fields["model"]?.stringValue
    e.result = .init(kind: .inline, urls: ["http://127.0.0.1:8080/fakelab/images/a.png"])
    return e
}

/// A multipart image edit, answered 200 inline.
func multipartEdit(_ fields: [String: JSONValue] = cupPrompt, files: [String] = ["image"], at time: Double = 0) -> JournalEntry {
    let parts = files.map {
        JournalEntry.File(name: $0, filename: "a.png", contentType: "image/png", size: 68, sha256: String(repeating: "ab", count: 32))
    }
    var e = JournalEntry(
        seq: 0,
        time: time,
        method: "POST",
        path: "/v1/images/edits",
        status: 200,
        headers: ["content-type": "multipart/form-data; boundary=x"],
        body: .init(kind: .multipart, fields: fields, files: parts)
    )
    e.model = fields["model"]?.stringValue
    return e
}

/// A status read of task `id` at its poll_url (or `path`), answered 200 `processing`.
func poll(_ id: String, at time: Double, path: String? = nil) -> JournalEntry {
    var e = JournalEntry(seq: 0, time: time, method: "GET", path: path ?? "/v1/tasks/\(id)", status: 200, body: nil)
    e.taskID = id
    e.taskStatus = "processing"
    return e
}

/// Any request, answered 200.
func request(_ method: String, _ path: String, at time: Double = 0) -> JournalEntry {
    JournalEntry(seq: 0, time: time, method: method, path: path, status: 200)
}

extension JournalEntry {
    /// The answer's status; nil: no answer came (in flight).
    func answered(_ status: Int?) -> JournalEntry {
        var e = self
        e.status = status
        if status.map({ !(200..<300).contains($0) }) ?? true { e.result = nil }
        return e
    }

    /// No answer came.
    func inFlight() -> JournalEntry { answered(nil) }

    /// The answer took `ms` milliseconds.
    func took(ms: Double) -> JournalEntry {
        var e = self
        e.durationMS = ms
        return e
    }

    func retryAfter(_ seconds: Double) -> JournalEntry {
        var e = self
        e.retryAfter = seconds
        return e
    }

    func fault(_ name: String) -> JournalEntry {
        var e = self
        e.fault = name
        return e
    }

    func error(_ code: String?, param: String? = nil, retryable: Bool? = nil) -> JournalEntry {
        var e = self
        e.error = .init(type: "invalid_request_error", code: code, param: param, message: "refused", retryable: retryable)
        return e
    }

    /// The answer made (or read) task `id`: a create answers a pending task with its poll_url.
    func task(_ id: String, pollURL: String? = nil, status: String = "pending") -> JournalEntry {
        var e = self
        e.taskID = id
        e.taskStatus = status
        e.pollURL = pollURL ?? (method == "POST" ? "/v1/tasks/\(id)" : nil)
        if method == "POST" { e.result = .init(kind: .task) }
        return e
    }

    /// A status read returned `status` (and, when completed, the result URLs).
    func returned(_ status: String, urls: [String] = []) -> JournalEntry {
        var e = self
        e.taskStatus = status
        if !urls.isEmpty { e.result = .init(kind: .task, urls: urls) }
        return e
    }

    func header(_ name: String, _ value: String) -> JournalEntry {
        var e = self
        e.headers[name] = value
        return e
    }
}

/// A client run with the given parts; everything else empty and successful.
func clientRun(
    exit: Int32? = 0,
    result: JSONValue? = nil,
    stdout: String = "",
    seconds: Double = 1,
    timedOut: Bool = false,
    images: [ClientObservation.Image] = []
) -> ClientObservation {
    ClientObservation(
        exitCode: exit,
        result: result,
        stdout: stdout,
        seconds: seconds,
        timedOut: timedOut,
        apiKey: "sk-test-secret-0001",
        images: images
    )
}
