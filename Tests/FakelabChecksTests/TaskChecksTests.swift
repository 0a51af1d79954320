import FakelabAPI
import FakelabChecks
import Testing

let taskCheckCases: [CheckCase] = [
    .init("polled_task", [:], journal(create().task("t1"), poll("t1", at: 3)), passes: true, "one read"),
    .init("polled_task", ["min": 2], journal(create().task("t1"), poll("t1", at: 3)), passes: false, "one read, two asked"),
    .init("polled_task", [:], journal(create()), passes: false, "no read"),
    .init("polls_use_poll_url", [:], journal(create().task("t1"), poll("t1", at: 3)), passes: true, "/v1/tasks/{id}"),
    .init(
        "polls_use_poll_url",
        [:],
        journal(create().task("t1"), poll("t1", at: 3, path: "/v1/images/t1")),
        passes: false,
        "the alias route instead of poll_url"
    ),
    .init(
        "polls_use_poll_url",
        [:],
        journal(create().task("t1", pollURL: "http://h/v1/images/generations/t1"), poll("t1", at: 3, path: "/v1/images/generations/t1")),
        passes: true,
        "the poll_url the answer gave, absolute"
    ),
    .init("polls_use_poll_url", [:], journal(create()), passes: false, "no reads"),
    .init(
        "no_request_after_terminal",
        [:],
        journal(create().task("t1"), poll("t1", at: 3), poll("t1", at: 6).returned("completed")),
        passes: true,
        "stopped at completed"
    ),
    .init(
        "no_request_after_terminal",
        [:],
        journal(create().task("t1"), poll("t1", at: 3).returned("failed"), poll("t1", at: 6)),
        passes: false,
        "read after failed"
    ),
    .init("no_request_after_terminal", [:], journal(create().task("t1"), poll("t1", at: 3)), passes: true, "no terminal status yet"),
    .init(
        "no_poll_after_terminal",
        [:],
        journal(
            create().task("t1"),
            poll("t1", at: 3).returned("completed"),
            create(at: 4).task("t2"),
            poll("t2", at: 7).returned("expired"),
            poll("t2", at: 9)
        ),
        passes: false,
        "alias; a second task read after expired"
    ),
    .init("no_poll_after_terminal", [:], journal(create().task("t1"), poll("t1", at: 3).returned("completed")), passes: true, "alias"),
]

@Suite struct TaskChecksTests {
    @Test(arguments: taskCheckCases) func judges(_ c: CheckCase) throws {
        try CheckRegistry.validate(name: c.check, arguments: c.arguments)
        #expect(c.judgement.passed == c.passes, "\(c.judgement)")
    }

    @Test func afterTerminalNamesTheTerminalReadAndTheLateOnes() {
        let j = CheckRegistry.judge(
            "no_request_after_terminal",
            [:],
            CheckInput(journal: journal(create().task("t1"), poll("t1", at: 3).returned("completed"), poll("t1", at: 6)))
        )
        #expect(j.expected == "no status read after #2 GET /v1/tasks/t1 → 200 returned completed")
        #expect(j.actual == "#3 GET /v1/tasks/t1 → 200")
        #expect(j.requests == [2, 3])
    }
}
