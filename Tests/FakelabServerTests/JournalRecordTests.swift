import FakelabAPI
import HTTPTypes
import NIOCore
import Testing

@testable import FakelabServer

/// A journal record keeps its strings in one packed block: what goes in comes back out, for
/// every field, at every length (a LEB128 length of 1, 2 and 3 bytes), and a later write
/// replaces an earlier one instead of piling up.
@Suite struct JournalRecordTests {
    static func arrival(query: String? = "a=1") -> JournalRecord {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer sk-live-abcdefghijklmnopqrstuvwx"
        headers[.contentType] = "application/json"
        headers.append(HTTPField(name: HTTPField.Name("X-Note")!, value: "one"))
        headers.append(HTTPField(name: HTTPField.Name("X-Note")!, value: "two"))
        return JournalRecord(
            seq: 3,
            time: 10,
            method: "POST",
            path: "/v1/images/generations",
            query: query,
            requestID: "req_01",
            requestHeaders: headers
        )
    }

    @Test func arrivalFieldsComeBack() {
        let record = Self.arrival()
        #expect(record.requestID == "req_01")
        #expect(record.query == "a=1")
        #expect(record.status == 0)
        #expect(record.headers[values: .contentType] == ["application/json"])
        #expect(record.headers[values: HTTPField.Name("X-Note")!] == ["one", "two"])
        // Masked at once: the key never sits in the journal.
        #expect(record.headers[.authorization]?.contains("abcdefghijklmnop") == false)
        #expect(record.model == nil && record.response == nil && record.error == nil && record.result == nil && record.body == nil)
        #expect(Self.arrival(query: nil).query == nil)
    }

    /// A secret a client put in the query (a credential parameter, or a key anywhere) is masked
    /// in the entry every reader gets.
    @Test func queryCredentialsNeverReachTheEntry() {
        let entry = Self.arrival(query: "api_key=AIzaSyA-0123456789abcdef&note=sk-live-abcdefghijkl9876&n=2").entry
        let query = entry.query ?? ""
        #expect(!query.contains("0123456789abcdef") && !query.contains("abcdefghijkl9876"), "\(query)")
        #expect(query.hasSuffix("&n=2") && query.hasPrefix("api_key="))
    }

    /// A field sized with `leb128Count` holds exactly what `appendLEB128` writes, and reads back.
    @Test(arguments: [0, 1, 127, 128, 300, 16_383, 16_384, 2_097_152, Int.max])
    func leb128CountsWhatItWrites(value: Int) {
        var bytes: [UInt8] = []
        JournalFields.appendLEB128(value, to: &bytes)
        #expect(JournalFields.leb128Count(value) == bytes.count)
        var i = 0
        #expect(JournalFields.readLEB128(bytes, at: &i) == value && i == bytes.count)
    }

    /// Each Authorization a request repeats is masked, in its place, with the other headers kept
    /// as sent (the record masks the first once and reuses that mask while writing).
    @Test func everyRepeatedAuthorizationIsMasked() {
        var headers = HTTPFields()
        headers.append(HTTPField(name: .authorization, value: "Bearer sk-first-abcdefghijklmnop1111"))
        headers.append(HTTPField(name: HTTPField.Name("X-Custom-Header")!, value: "kept"))
        headers.append(HTTPField(name: .authorization, value: "Bearer sk-second-qrstuvwxyz012345672222"))
        let record = JournalRecord(seq: 1, time: 0, method: "GET", path: "/v1/tasks/t", query: nil, requestID: "r", requestHeaders: headers)
        let values = record.headers[values: .authorization]
        #expect(values == [Secrets.mask("Bearer sk-first-abcdefghijklmnop1111"), Secrets.mask("Bearer sk-second-qrstuvwxyz012345672222")])
        #expect(values.allSatisfy { !$0.contains("abcdefghijklmnop") && !$0.contains("qrstuvwxyz") })
        #expect(record.headers[HTTPField.Name("X-Custom-Header")!] == "kept")
        #expect(record.headers.count == 3)
    }

    @Test(arguments: [0, 100, 200, 20_000])
    func everyCompletionFieldComesBack(responseSize: Int) throws {
        var record = Self.arrival()
        let raw = Array(#"{"model":"gpt-image-2","prompt":"cat"}"#.utf8)
        var notes = JournalNotes.Values()
        notes.body = JournalBody(raw: raw)
        notes.model = "gpt-image-2"
        notes.taskStatus = "pending"
        notes.pollURL = "http://127.0.0.1/v1/tasks/t1"
        notes.fault = FaultSpec(.rateLimited, ["retry_after": "2"])
        notes.error = JournalEntry.ErrorInfo(type: "rate_limit_error", code: "rate_limit_exceeded", param: nil, message: "slow down", retryable: true)
        notes.result = JournalEntry.Result(kind: .inline, urls: ["http://h/fakelab/images/a.png", "http://h/fakelab/images/b.png"], b64: 300)
        notes.response = responseSize == 0 ? nil : Array(repeating: UInt8(ascii: "x"), count: responseSize)
        record.apply(.init(status: 429, durationMS: 1.5, notes: notes, taskID: "t1", retryAfter: 2.25))

        #expect(record.status == 429)
        #expect(record.durationMS == 1.5)
        #expect(record.requestID == "req_01")
        #expect(record.body?.raw == raw)
        #expect(record.model == "gpt-image-2")
        #expect(record.taskID == "t1")
        #expect(record.taskStatus == "pending")
        #expect(record.pollURL == "http://127.0.0.1/v1/tasks/t1")
        #expect(record.fault == notes.fault?.description)
        #expect(record.error == notes.error)
        #expect(record.retryAfter == 2.25)
        #expect(record.result == notes.result)
        #expect(record.response == notes.response)
        #expect(record.headers[values: HTTPField.Name("X-Note")!] == ["one", "two"])

        let entry = record.entry
        #expect(entry.model == "gpt-image-2")
        #expect(entry.body?.fields["prompt"] == .string("cat"))
        #expect(entry.error?.retryable == true)
        #expect(entry.result?.b64 == 300)
    }

    /// The body recorded early (before a hung answer) is replaced by the answer's, and a field
    /// the answer does not have is gone: one copy of each field, never two.
    @Test func aLaterWriteReplacesTheEarlierOne() {
        var record = Self.arrival()
        record.record(body: JournalBody(raw: Array(#"{"prompt":"first"}"#.utf8)), model: "flux-pro")
        #expect(record.model == "flux-pro")
        var notes = JournalNotes.Values()
        notes.body = JournalBody(raw: Array(#"{"prompt":"second"}"#.utf8))
        record.apply(.init(status: 200, durationMS: 1, notes: notes, taskID: nil, retryAfter: nil))
        #expect(record.entry.body?.fields["prompt"] == .string("second"))
        #expect(record.model == nil)
        #expect(record.requestID == "req_01")
        #expect(record.query == "a=1")
    }

    @Test func aSummarizedBodyKeepsItsDigest() {
        var record = Self.arrival()
        let summary = JournalBody.Summarized(body: JournalEntry.Body(kind: .multipart, fields: ["prompt": "p"]), digest: "abc123")
        var notes = JournalNotes.Values()
        notes.body = JournalBody(summary)
        record.apply(.init(status: 200, durationMS: 1, notes: notes, taskID: nil, retryAfter: nil))
        #expect(record.entry.fingerprint == "abc123")
        #expect(record.entry.body?.kind == .multipart)
    }

    /// The API's methods, routes and common header names are kept as codes, anything else as
    /// text: both come back the same.
    @Test(arguments: [("POST", "/v1/images/generations"), ("GET", "/v1/tasks/task_0123"), ("PROPFIND", "/odd/path")])
    func methodsAndPathsComeBack(method: String, path: String) {
        var headers = HTTPFields()
        headers[.userAgent] = "openai-python/2.1"
        headers.append(HTTPField(name: HTTPField.Name("X-Stainless-Lang")!, value: "python"))
        headers[.contentLength] = "61"
        let record = JournalRecord(seq: 1, time: 0, method: method, path: path, query: nil, requestID: "req_02", requestHeaders: headers)
        #expect(record.method == method)
        #expect(record.path == path)
        #expect(Array(record.headers) == Array(headers))
    }

    /// An inline answer's URLs are kept once, in the answer, and read back from it.
    @Test func inlineURLsAreReadFromTheAnswer() {
        var record = Self.arrival()
        let urls = ["http://127.0.0.1:8080/fakelab/images/1024x1024-00000000000000ff.png", "http://h/fakelab/images/b.png"]
        var notes = JournalNotes.Values()
        notes.result = JournalEntry.Result(kind: .inline, urls: urls)
        notes.response = ImageEngine.urlAnswer(billing: "bill_1", created: 5, urls: urls)
        notes.resultURLsInResponse = true
        record.apply(.init(status: 200, durationMS: 1, notes: notes, taskID: nil, retryAfter: nil))
        #expect(record.result == JournalEntry.Result(kind: .inline, urls: urls))
        #expect(record.entry.result?.urls == urls)
    }

    /// What the journal stores for `bytes`, as an array.
    static func pack(_ bytes: [UInt8], taskID: String? = nil) -> [UInt8]? {
        JournalResponseKeys.withPacked(bytes, taskID: taskID) { $0.map(Array.init) }
    }

    /// The key packing is a byte substitution: any input comes back exactly, keys shrink, and
    /// an input with a byte under 0x20 is left to be kept as it is.
    @Test func responseKeysPackAndComeBack() throws {
        let task = Array(
            #"{"created":1,"data":[],"id":"task_1","model":"flux-pro","object":"image.task","poll_url":"/v1/tasks/task_1","status":"pending","task_id":"task_1"}"#
                .utf8
        )
        let packed = try #require(Self.pack(task))
        #expect(packed.count < task.count - 60)
        #expect(JournalResponseKeys.unpack(packed) == task)
        #expect(JournalResponseKeys.keyCodes < Int(JournalResponseKeys.taskIDCode) - 1)
        // With the entry's task id, its three copies go too, and still come back.
        let withID = try #require(Self.pack(task, taskID: "task_1"))
        #expect(withID.count < packed.count - 12)
        #expect(JournalResponseKeys.unpack(withID, taskID: "task_1") == task)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"":{}[],\ idurlstatus_x"#.utf8)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let packed = try #require(Self.pack(bytes, taskID: "id"))
            #expect(JournalResponseKeys.unpack(packed, taskID: "id") == bytes)
        }
        #expect(Self.pack(Array("{\"a\":\n1}".utf8)) == nil)
    }

    /// A task's own poll URL is kept as its poll path; another URL as it is.
    @Test(arguments: ["/v1/tasks/task_9", "/v1/images/generations/task_9", "http://elsewhere/v1/tasks/task_9"])
    func pollURLsComeBack(pollURL: String) {
        var record = Self.arrival()
        var notes = JournalNotes.Values()
        notes.pollURL = pollURL
        notes.response = Array("{\"a\":\n1}".utf8)
        record.apply(.init(status: 202, durationMS: 1, notes: notes, taskID: "task_9", retryAfter: nil))
        #expect(record.pollURL == pollURL)
        #expect(record.taskID == "task_9")
        #expect(record.response == notes.response)
    }
}
