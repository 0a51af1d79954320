import FakelabAPI
import Foundation
import Testing

@Suite struct JournalEntryTests {
    /// A journal entry (docs/serve.md, "The journal and the rate limiter"), every member filled.
    static let full: JournalEntry = {
        var e = JournalEntry(
            seq: 7,
            time: 1_764_582_000.125,
            method: "POST",
            path: "/v1/images/generations",
            query: "a=1",
            requestID: "req_01J",
            status: 200,
            durationMS: 1.234,
            headers: ["content-type": "application/json", "authorization": "Bearer sk-…abcd"],
            body: .init(
                kind: .multipart,
                fields: ["model": "gpt-image-2", "prompt": "a cup", "n": 1],
                files: [.init(name: "image[]", filename: "a.png", contentType: "image/png", size: 1234, sha256: "ab12")]
            ),
            fingerprint: "9f2c"
        )
        e.model = "gpt-image-2"
        e.taskID = "ldtask_1"
        e.taskStatus = "processing"
        e.pollURL = "/v1/tasks/ldtask_1"
        e.fault = "rate_limited"
        e.error = .init(type: "invalid_request_error", code: "unsupported_parameter", param: "style", message: "no", retryable: false)
        e.retryAfter = 2
        e.result = .init(kind: .task, urls: ["http://127.0.0.1/fakelab/images/a.png"], b64: 0)
        return e
    }()

    @Test func wireFormIsTheContractsSnakeCase() {
        let expected: JSONValue = [
            "seq": 7, "time": 1_764_582_000.125, "method": "POST", "path": "/v1/images/generations", "query": "a=1",
            "request_id": "req_01J", "status": 200, "duration_ms": 1.234,
            "headers": ["content-type": "application/json", "authorization": "Bearer sk-…abcd"],
            "body": [
                "kind": "multipart", "fields": ["model": "gpt-image-2", "prompt": "a cup", "n": 1],
                "files": [["name": "image[]", "filename": "a.png", "content_type": "image/png", "size": 1234, "sha256": "ab12"]],
            ],
            "fingerprint": "9f2c", "model": "gpt-image-2", "task_id": "ldtask_1", "task_status": "processing",
            "poll_url": "/v1/tasks/ldtask_1", "fault": "rate_limited",
            "error": ["type": "invalid_request_error", "code": "unsupported_parameter", "param": "style", "message": "no", "retryable": false],
            "retry_after": 2.0, "result": ["kind": "task", "urls": ["http://127.0.0.1/fakelab/images/a.png"], "b64": 0],
        ]
        #expect(Self.full.json == expected)
        #expect(Self.full.json["in_flight"] == nil, "in_flight only while there is no status")
    }

    @Test func inFlightEntriesSayNullAndInFlight() {
        let e = JournalEntry(seq: 1, time: 0, method: "GET", path: "/v1/tasks/t")
        #expect(e.json["status"] == .null)
        #expect(e.json["in_flight"] == true)
        #expect(
            e.json.objectValue?.keys.sorted() == [
                "duration_ms", "fingerprint", "headers", "in_flight", "method", "path", "request_id", "seq", "status", "time",
            ]
        )
    }

    @Test(arguments: [full, JournalEntry(seq: 2, time: 3, method: "GET", path: "/v1/tasks/t")])
    func jsonRoundTrips(_ entry: JournalEntry) throws {
        #expect(try JournalEntry(json: entry.json) == entry)
        let bytes = entry.json.serialized()
        #expect(try JournalEntry(json: JSONValue.parse(bytes)) == entry)
    }

    @Test(arguments: [full, JournalEntry(seq: 2, time: 3, method: "GET", path: "/v1/tasks/t")])
    func codableRoundTripsThroughTheSameForm(_ entry: JournalEntry) throws {
        let data = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(JournalEntry.self, from: data) == entry)
        #expect(try JSONValue.parse(Array(data)).serializedString() == entry.json.serializedString(), "Codable writes the wire form")
    }

    @Test(arguments: [
        (#"{"seq": 1, "method": "GET", "path": "/"}"#, "time"),
        (#"{"seq": "1", "time": 0, "method": "GET", "path": "/"}"#, "seq"),
        (#"{"seq": 1, "time": 0, "method": "GET", "path": "/", "body": {"kind": "xml"}}"#, "body.kind"),
        (
            #"{"seq": 1, "time": 0, "method": "GET", "path": "/", "body": {"kind": "multipart", "files": [{"name": "a", "size": 1}]}}"#,
            "body.files[0].sha256"
        ),
        (#"{"seq": 1, "time": 0, "method": "GET", "path": "/", "error": {"retryable": "no"}}"#, "error.retryable"),
        (#"{"seq": 1, "time": 0, "method": "GET", "path": "/", "headers": {"x": 1}}"#, "headers.x"),
    ])
    func decodingErrorsNameTheField(_ text: String, _ field: String) throws {
        let value = try JSONValue.parse(Array(text.utf8))
        let error = #expect(throws: JournalEntry.DecodingError.self) { try JournalEntry(json: value) }
        #expect(error?.field == field, "\(String(describing: error))")
    }

    @Test func missingFingerprintIsComputed() throws {
        let e = try JournalEntry(json: ["seq": 1, "time": 0, "method": "GET", "path": "/v1/models", "status": 200])
        #expect(e.fingerprint == JournalEntry.Fingerprint.make(method: "GET", path: "/v1/models", body: nil))
        #expect(e.status == 200 && !e.inFlight)
    }

    @Test func terminalStatusesLiveInOnePlace() {
        for status in ["completed", "succeeded", "failed", "cancelled", "canceled", "expired", "COMPLETED"] {
            #expect(TaskStatusText.isTerminal(status), "\(status)")
        }
        for status in ["pending", "processing", "queued", nil] as [String?] {
            #expect(!TaskStatusText.isTerminal(status))
        }
    }
}
