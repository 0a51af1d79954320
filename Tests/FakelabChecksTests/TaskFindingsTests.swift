import FakelabAPI
import FakelabChecks
import Testing

/// A create answered with task `id`, read every `every` seconds, `reads` times, the last one completed.
func polledTask(_ id: String = "t1", every: Double = 3, reads: Int = 2, b64: Bool = false) -> [JournalEntry] {
    let fields: [String: JSONValue] = b64 ? ["model": "gpt-image-2", "prompt": "a cup", "response_format": "b64_json"] : cupPrompt
    var entries = [create(fields).task(id)]
    for i in 1...reads {
        let read = poll(id, at: Double(i) * every)
        entries.append(i == reads ? read.returned("completed", urls: ["http://127.0.0.1:8080/fakelab/images/\(id).png"]) : read)
    }
    return numbered(entries)
}

let taskFindingCases: [FindingCase] = [
    .fires(
        "duplicate_create",
        on: [1, 2],
        "in-flight create sent again",
        journal(create().inFlight(), create(at: 30))
    ),
    .fires("duplicate_create", on: [1, 2], "reset answer", journal(create().fault("reset").answered(nil), create(at: 2))),
    .fires("duplicate_create", on: [1, 2], "499", journal(create().answered(499), create(at: 2))),
    .fires("duplicate_create", on: [1, 3], "truncated 200", journal(create().fault("truncate"), request("GET", "/v1/models", at: 1), create(at: 2))),
    .quiet(
        "duplicate_create",
        "looked at the task list first",
        journal(create().inFlight(), request("GET", "/v1/tasks", at: 1), create(at: 2))
    ),
    .quiet(
        "duplicate_create",
        "same Idempotency-Key",
        journal(create().header("idempotency-key", "k1").inFlight(), create(at: 2).header("idempotency-key", "k1"))
    ),
    .quiet("duplicate_create", "a 503 is a clean answer", journal(create().answered(503), create(at: 2))),
    .fires(
        "poll_after_terminal",
        on: [2, 3],
        "read after completed",
        journal(create().task("t1"), poll("t1", at: 3).returned("completed"), poll("t1", at: 6))
    ),
    .fires(
        "poll_after_terminal",
        on: [1, 2],
        "create answered terminal, then read",
        journal(create().task("t1", status: "completed"), poll("t1", at: 3))
    ),
    .quiet("poll_after_terminal", "stopped at completed", polledTask()),
    .fires(
        "poll_url_not_followed",
        on: [1, 2],
        "built its own path",
        journal(create().task("t1", pollURL: "/v1/images/generations/t1"), poll("t1", at: 3).returned("completed"))
    ),
    .quiet(
        "poll_url_not_followed",
        "followed an absolute poll_url",
        journal(
            create().task("t1", pollURL: "http://127.0.0.1:8080/v1/images/generations/t1?x=1"),
            poll("t1", at: 3, path: "/v1/images/generations/t1").returned("completed")
        )
    ),
    .fires("poll_too_fast", on: [2, 3, 4, 5], "every 0.5 s", polledTask(every: 0.5, reads: 4)),
    .quiet("poll_too_fast", "every 3 s", polledTask(every: 3, reads: 4)),
    .quiet("poll_too_fast", "within slack: every 2.9 s", polledTask(every: 2.9, reads: 3)),
    .quiet(
        "poll_too_fast",
        "quick re-read after a 503 is the retry rules' business",
        journal(create().task("t1"), poll("t1", at: 3).answered(503), poll("t1", at: 3.5).returned("completed"))
    ),
    .fires("task_abandoned", on: [1, 2], "stopped at processing", journal(create().task("t1"), poll("t1", at: 3))),
    .fires("task_abandoned", on: [1], "never read", journal(create().task("t1"))),
    .quiet("task_abandoned", "read to completed", polledTask()),
    .quiet("task_abandoned", "cancelled", journal(create().task("t1"), request("DELETE", "/v1/tasks/t1", at: 1))),
    .quiet("task_abandoned", "failed create made no task", journal(create().answered(400))),
]

@Suite struct TaskFindingsTests {
    @Test(arguments: taskFindingCases) func finds(_ c: FindingCase) {
        c.expectOutcome()
    }

    @Test func pollTooFastCitesTheGuidance() throws {
        let f = try #require(Verdict.analyse(polledTask(every: 1, reads: 3)).findings.first { $0.finding == "poll_too_fast" })
        #expect(f.level == .should)
        #expect(f.message == "task t1 was read every 1.00 s (median of 2 gap(s) between #2, #3 and #4), faster than TokenLab's guidance of 3–5 s")
        #expect(PollTooFast.guidanceSeconds == 3)
    }

    @Test func duplicateCreateNamesBothCreates() throws {
        let f = try #require(
            Verdict.analyse(journal(create().fault("reset").answered(nil), create(at: 2))).findings.first { $0.finding == "duplicate_create" }
        )
        #expect(
            f.message
                == "#1 POST /v1/images/generations → no answer (reset) was cut, and #2 POST /v1/images/generations → 200 sent the same create again "
                + "without first looking for the task it may have made"
        )
    }
}
