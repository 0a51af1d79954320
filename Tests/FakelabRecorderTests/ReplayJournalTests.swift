import FakelabAPI
import FakelabCassettes
import Foundation
import Testing

@testable import FakelabRecorder

/// The journal a recorder or replay server keeps per key (`GET /__fakelab/journal`): the fake's
/// shape, never a secret, bounded.
@Suite struct ReplayJournalTests {
    static let key = "sk-replay-journal-key-0000000042"

    @Test func theReplayJournalNeverShowsTheKey() async throws {
        let cassette = TempDir().file("journal.cassette")
        let upstream = try await RecordReplayTests.fake()
        let body = #"{"model":"gpt-image-2","prompt":"a fox named \#(Self.key)","size":"1024x1024","user":"\#(Self.key)"}"#
        func send(_ base: String) async throws -> HTTP.Reply {
            try await HTTP.send(
                base + "/v1/images/generations",
                method: "POST",
                body: Array(body.utf8),
                contentType: "application/json",
                key: Self.key,
                headers: [("X-Echo", Self.key)]
            )
        }
        let rec = try await RecordReplayTests.recorder(cassette, upstream: upstream.baseURL, mode: .all)
        _ = try await send(rec.baseURL)
        await rec.stop()
        await upstream.stop()

        let replay = try await RecordReplayTests.recorder(cassette, upstream: nil, mode: .none)
        let answer = try await send(replay.baseURL)
        let journal = try await HTTP.get(replay.baseURL + "/__fakelab/journal", key: Self.key)
        let other = try await HTTP.get(replay.baseURL + "/__fakelab/journal", key: "sk-another-key-000000000001")
        let newer = try await HTTP.get(replay.baseURL + "/__fakelab/journal?since=1", key: Self.key)
        let verdict = try await HTTP.get(replay.baseURL + "/__fakelab/verdict", key: Self.key)
        await replay.stop()

        // `fakelab verdict` reads a replay as it reads the fake: the same verdict over the journal.
        #expect(newer.json["data"]?.arrayValue?.isEmpty == true, "since=1 keeps only newer entries")
        #expect(verdict.status == 200 && verdict.json["counts"]?["requests"] == 1, "\(verdict.text)")
        #expect(!verdict.text.contains(Self.key))

        #expect(answer.status == 200)
        #expect(journal.status == 200)
        #expect(!journal.text.contains(Self.key), "the raw key is nowhere in the journal: \(journal.text)")
        #expect(!journal.text.contains(String(Self.key.dropFirst(3).prefix(20))), "nor its middle")
        let entries = try (journal.json["data"]?.arrayValue ?? []).map { try JournalEntry(json: $0) }
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.seq == 1 && entry.status == 200 && entry.method == "POST" && entry.path == "/v1/images/generations")
        #expect(entry.headers["authorization"] == Secrets.mask("Bearer \(Self.key)"))
        #expect(entry.model == "gpt-image-2")
        #expect(entry.result?.kind == .inline && entry.result?.urls.count == 1)
        #expect(!entry.requestID.isEmpty)
        #expect(other.json["data"]?.arrayValue?.isEmpty == true, "another key has a journal of its own")
    }

    @Test func aReplayRefusesToStageTaskPoliciesAndFaults() async throws {
        let cassette = TempDir().file("stage.cassette")
        let upstream = try await RecordReplayTests.fake()
        let rec = try await RecordReplayTests.recorder(cassette, upstream: upstream.baseURL, mode: .all)
        _ = try await HTTP.get(rec.baseURL + "/v1/models/gpt-image-2", key: Self.key)
        await rec.stop()
        await upstream.stop()

        let replay = try await RecordReplayTests.recorder(cassette, upstream: nil, mode: .none)
        let policy = try await HTTP.send(
            replay.baseURL + "/__fakelab/task-policy",
            method: "PUT",
            body: Array(#"{"policy":"instant"}"#.utf8),
            contentType: "application/json",
            key: Self.key
        )
        let faults = try await HTTP.postJSON(replay.baseURL + "/__fakelab/faults", #"{"rules":[]}"#, key: Self.key)
        let health = try await HTTP.get(replay.baseURL + "/health", key: Self.key)
        let journal = try await HTTP.get(replay.baseURL + "/__fakelab/journal", key: Self.key)
        await replay.stop()
        for reply in [policy, faults] {
            #expect(reply.status == 400)
            #expect(reply.json["error"]?["code"]?.stringValue == ErrorCode.unsupportedOperation)
            #expect(reply.json["error"]?["message"]?.stringValue?.contains("answers from its cassette") == true, "\(reply.text)")
        }
        #expect(health.status == 200)
        #expect(journal.json["data"]?.arrayValue?.isEmpty == true, "control calls and /health are not journaled")
    }

    static func record(_ i: Int) -> ReplayJournalRecord {
        ReplayJournalRecord(
            incoming: Exchange.Request(method: "GET", path: "/v1/models/m\(i)"),
            authorization: "Bearer \(key)",
            time: Double(i),
            durationMS: 1,
            status: 200,
            responseHeaders: [:],
            answerBody: nil
        )
    }

    @Test func theJournalKeepsTheNewestEntriesOfTheLatestKeys() {
        let journal = ReplayJournal()
        for i in 1...(ReplayJournal.perKey + 5) { journal.open(key: "sk-bounded-key-0000000000", Self.record(i)) }
        let kept = journal.entries(key: "sk-bounded-key-0000000000")
        #expect(kept.count == ReplayJournal.perKey)
        #expect(kept.first?.seq == 6 && kept.last?.seq == ReplayJournal.perKey + 5)
        #expect(kept.first?.path == "/v1/models/m6")
        for k in 0..<ReplayJournal.maxKeys { journal.open(key: "sk-other-key-\(10_000_000 + k)", Self.record(k)) }
        #expect(journal.keyCount == ReplayJournal.maxKeys)
        #expect(journal.entries(key: "sk-bounded-key-0000000000").isEmpty, "the key written to longest ago went first")
        #expect(journal.entries(key: "sk-other-key-10000000").count == 1)
    }

    @Test func aMultipartBodyIsSummarizedWithoutItsBytes() throws {
        let (form, type) = try FormPartBody.make(boundary: "b-1")
        let request = Exchange.Request(method: "POST", path: "/v1/images/edits", contentType: type, body: form)
        let record = ReplayJournalRecord(
            incoming: request,
            authorization: nil,
            time: 0,
            durationMS: 0,
            status: 200,
            responseHeaders: [:],
            answerBody: nil
        )
        let body = try #require(record.entry.body)
        #expect(body.kind == .multipart)
        #expect(body.fields["model"] == "gpt-image-2")
        #expect(body.files.map(\.name) == ["image"] && body.files.first?.size == 4 && body.files.first?.filename == "in.png")
        #expect(record.entry.model == "gpt-image-2")
    }
}

/// A two-part multipart body: a text field and a four-byte file.
enum FormPartBody {
    static func make(boundary: String) throws -> ([UInt8], String) {
        var text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2\r\n"
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"in.png\"\r\nContent-Type: image/png\r\n\r\n"
        var bytes = Array(text.utf8) + [1, 2, 3, 4]
        bytes += Array("\r\n--\(boundary)--\r\n".utf8)
        return (bytes, "multipart/form-data; boundary=\(boundary)")
    }
}
