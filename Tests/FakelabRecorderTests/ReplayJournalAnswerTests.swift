import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import Foundation
import HTTPTypes
import Logging
import NIOCore
import Testing

@testable import FakelabRecorder

/// The replay journal as the fake keeps its own: an entry opens when the request arrives and
/// completes with whatever it was answered (an error, 413, 499), its task id read from the
/// answer's `X-Task-ID` when the body has none, and a record bounded whatever the headers.
@Suite struct ReplayJournalAnswerTests {
    static let key = "sk-replay-answer-key-00000000042"

    static func inFlight(_ path: String, at time: Double, headers: [Exchange.Header] = []) -> ReplayJournalRecord {
        ReplayJournalRecord(incoming: Exchange.Request(method: "GET", path: path, headers: headers), authorization: nil, time: time)
    }

    static func completion(_ status: Int, _ headers: HTTPFields = [:], now: Double = 0) -> ReplayJournalRecord.Completion {
        ReplayJournalRecord.Completion(status: status, durationMS: 5, headers: headers, answerBody: nil, path: "/v1/x", now: now)
    }

    @Test func theTaskIDFallsBackToTheAnswersXTaskIDHeader() {
        let record = ReplayJournalRecord(
            incoming: Exchange.Request(method: "POST", path: "/v1/images/generations"),
            authorization: nil,
            time: 0,
            durationMS: 1,
            status: 202,
            responseHeaders: [.xTaskID: "task_from_header_1"],
            answerBody: ByteBuffer(string: #"{"status":"queued"}"#)
        )
        #expect(record.entry.taskID == "task_from_header_1")
        let fromBody = ReplayJournalRecord(
            incoming: Exchange.Request(method: "GET", path: "/v1/tasks/task_body_1"),
            authorization: nil,
            time: 0,
            durationMS: 1,
            status: 200,
            responseHeaders: [.xTaskID: "task_from_header_1"],
            answerBody: ByteBuffer(string: #"{"object":"image.task","task_id":"task_body_1","status":"running"}"#)
        )
        #expect(fromBody.entry.taskID == "task_body_1", "the body's task id comes first")
    }

    /// Seq and time are the arrival's; the entry is in flight (no status) until completed.
    @Test func anEntryOpensAtArrivalAndCompletesWithItsAnswer() {
        let journal = ReplayJournal()
        let first = journal.open(key: Self.key, Self.inFlight("/v1/models/a", at: 100))
        let second = journal.open(key: Self.key, Self.inFlight("/v1/models/b", at: 101))
        let open = journal.entries(key: Self.key)
        #expect(open.map(\.seq) == [1, 2] && open.map(\.time) == [100, 101])
        #expect(open.allSatisfy { $0.status == nil && $0.requestID.isEmpty }, "in flight")

        journal.complete(second, Self.completion(200, [.xRequestID: "req_b"]))
        journal.complete(first, Self.completion(429, [.retryAfter: "3"], now: 140))
        let done = journal.entries(key: Self.key)
        #expect(done.map(\.status) == [429, 200] && done.map(\.time) == [100, 101], "time stays the arrival's")
        #expect(done[0].retryAfter == 3 && done[1].requestID == "req_b" && done[0].durationMS == 5)
    }

    /// A ticket outlived by its key's tenant (evicted, then written to again) completes nothing.
    @Test func aStaleTicketCompletesNothing() {
        let journal = ReplayJournal()
        let stale = journal.open(key: Self.key, Self.inFlight("/v1/models/old", at: 1))
        for k in 0..<ReplayJournal.maxKeys { journal.open(key: "sk-evicting-key-\(10_000_000 + k)", Self.inFlight("/v1/models/m", at: 2)) }
        journal.open(key: Self.key, Self.inFlight("/v1/models/new", at: 3))
        journal.complete(stale, Self.completion(200))
        let entries = journal.entries(key: Self.key)
        #expect(entries.map(\.path) == ["/v1/models/new"] && entries.first?.status == nil)
    }

    /// At most 64 headers of 4 KiB are kept; the rest are counted in a note.
    @Test func aRecordKeepsBoundedHeadersAndNotesTheCut() {
        let many = (0..<100).map { Exchange.Header("x-h\($0)", String(repeating: "v", count: 20)) }
        let record = Self.inFlight("/v1/models/a", at: 0, headers: many)
        #expect(record.headers.count == ReplayJournal.maxHeaders)
        let entry = record.entry
        #expect(entry.headers[ReplayJournalRecord.headersCutName] == "36 headers (900 bytes) not kept", "\(entry.headers)")
        #expect(entry.headers["x-h63"] != nil && entry.headers["x-h64"] == nil)

        let huge = [Exchange.Header("x-huge", String(repeating: "h", count: 10_000)), Exchange.Header("content-type", "application/json")]
        let bounded = Self.inFlight("/v1/models/a", at: 0, headers: huge)
        #expect(bounded.headers.map(\.name) == ["content-type"], "a header past the bytes is cut, the others kept")
        #expect(bounded.entry.headers[ReplayJournalRecord.headersCutName] == "1 headers (10006 bytes) not kept")
        #expect(Self.inFlight("/v1/models/a", at: 0, headers: [Exchange.Header("accept", "*/*")]).entry.headers.count == 1, "no note")
    }

    /// What an error answers is journaled: its envelope, 499 for a cancellation, else 500.
    @Test func aFailedRequestIsJournaledWithWhatItAnswered() throws {
        let cassette = TempDir().file("failures.cassette")
        _ = try CassetteStore(path: cassette)
        let state = try RecorderState(RecorderConfiguration(cassettePath: cassette, upstream: nil, mode: .none), logger: Logger(label: "test"))
        let responder = RecorderResponder(state: state)
        struct Broken: Error {}
        let failures: [any Error] = [CancellationError(), Broken(), APIError.payloadTooLarge(limit: 1 << 20)]
        for (i, failure) in failures.enumerated() {
            let ticket = state.journal.open(key: Self.key, Self.inFlight("/v1/models/m\(i)", at: Double(i)))
            responder.complete(ticket, path: "/v1/models/m\(i)", .now, failure: failure)
        }
        let entries = state.journal.entries(key: Self.key)
        #expect(entries.map(\.status) == [499, 500, 413])
        #expect(entries[2].error?.code == ErrorCode.payloadTooLarge)
    }

    /// Over a socket: a body past `--max-body-bytes` is answered 413 and journaled with its envelope.
    @Test func aReplayJournalsABodyTooLarge() async throws {
        let cassette = TempDir().file("too-large.cassette")
        _ = try CassetteStore(path: cassette)
        var config = RecorderConfiguration(cassettePath: cassette, upstream: nil, mode: .none)
        config.port = 0
        config.logLevel = .critical
        config.maxBodyBytes = 1024
        let replay = try await Recorder.start(config)
        let before = Date().timeIntervalSince1970
        let body = #"{"model":"gpt-image-2","prompt":"\#(String(repeating: "x", count: 8000))"}"#
        let answer = try await HTTP.postJSON(replay.baseURL + "/v1/images/generations", body, key: Self.key)
        let journal = try await HTTP.get(replay.baseURL + "/__fakelab/journal", key: Self.key)
        await replay.stop()
        #expect(answer.status == 413)
        let entries = try (journal.json["data"]?.arrayValue ?? []).map { try JournalEntry(json: $0) }
        let entry = try #require(entries.first, "\(journal.text)")
        #expect(entries.count == 1 && entry.status == 413 && entry.error?.code == ErrorCode.payloadTooLarge)
        #expect(entry.time >= before - 1 && entry.time <= Date().timeIntervalSince1970)
    }
}
