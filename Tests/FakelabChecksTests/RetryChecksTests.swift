import FakelabAPI
import FakelabChecks
import Testing

let retryCheckCases: [CheckCase] = [
    .init("retry_gap", ["min_seconds": 1], journal(create().answered(503), create(at: 1.2)), passes: true, "waited 1.2 s"),
    .init("retry_gap", ["min_seconds": 1], journal(create().answered(503), create(at: 0.96)), passes: true, "inside the 50 ms slack"),
    .init("retry_gap", ["min_seconds": 1], journal(create().answered(503), create(at: 0.5)), passes: false, "retried after 0.5 s"),
    .init("retry_gap", [:], journal(create().answered(503)), passes: false, "no retry"),
    .init("retry_after_respected", [:], journal(create().answered(429).retryAfter(2), create(at: 2.05)), passes: true, "waited"),
    .init("retry_after_respected", [:], journal(create().answered(429).retryAfter(2), create(at: 0.5)), passes: false, "came early"),
    .init(
        "retry_after_respected",
        [:],
        journal(create().answered(429).retryAfter(2), create(["model": "other", "prompt": "x"], at: 0.5)),
        passes: true,
        "another request is no retry"
    ),
    .init(
        "retry_after_respected",
        [:],
        journal(create().answered(429).retryAfter(2).took(ms: 1000), create(at: 2.5)),
        passes: false,
        "counted from the end of the answer"
    ),
    .init("retry_after_respected", [:], journal(create().answered(429).retryAfter(20), create(at: 19.2)), passes: true, "5 % slack on 20 s"),
]

@Suite struct RetryChecksTests {
    @Test(arguments: retryCheckCases) func judges(_ c: CheckCase) throws {
        try CheckRegistry.validate(name: c.check, arguments: c.arguments)
        #expect(c.judgement.passed == c.passes, "\(c.judgement)")
    }

    @Test func retryGapListsEveryGap() {
        let j = CheckRegistry.judge(
            "retry_gap",
            ["min_seconds": 1],
            CheckInput(journal: journal(create().answered(503), create(at: 0.25).answered(503), create(at: 1.5)))
        )
        #expect(j.expected == "every retry of create ≥ 1.0 s after the previous attempt")
        #expect(j.actual == "gaps 0.25 s, 1.25 s (too short: 1)")
        #expect(j.requests == [1, 2])
    }

    @Test func retryAfterRespectedNamesBothRequests() {
        let j = CheckRegistry.judge("retry_after_respected", [:], CheckInput(journal: journal(create().answered(429).retryAfter(2), create(at: 0.5))))
        #expect(
            j.actual
                == "#2 POST /v1/images/generations → 200 came 0.50 s after #1 POST /v1/images/generations → 429, which said wait 2.00 s"
        )
        #expect(j.requests == [1, 2])
    }
}
