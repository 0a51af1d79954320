import FakelabAPI
import FakelabChecks
import Testing

let retryFindingCases: [FindingCase] = [
    .fires("retried_non_retryable", on: [1, 2], "400 sent again", journal(create().answered(400).error("invalid_value"), create(at: 1))),
    .fires("retried_non_retryable", on: [1, 2], "413 sent again", journal(create().answered(413), create(at: 5).answered(413))),
    .fires(
        "retried_non_retryable",
        on: [1, 3],
        "503 retryable:false",
        journal(create().answered(503).error("no_channels", retryable: false), request("GET", "/v1/models", at: 1), create(at: 9))
    ),
    .quiet("retried_non_retryable", "fixed request after a 400", journal(create().answered(400), create(["model": "m2", "prompt": "a cup"], at: 1))),
    .quiet("retried_non_retryable", "503 without retryable:false", journal(create().answered(503), create(at: 2))),
    .quiet("retried_non_retryable", "400 that said retryable:true", journal(create().answered(400).error("x", retryable: true), create(at: 2))),
    .fires("retry_after_ignored", on: [1, 2], "0.5 s after Retry-After 2", journal(create().answered(429).retryAfter(2), create(at: 0.5))),
    .fires(
        "retry_after_ignored",
        on: [1, 2],
        "error.retry_after on a 503",
        journal(create().answered(503).error("all_channels_failed").retryAfter(3), create(at: 2.5))
    ),
    .quiet("retry_after_ignored", "waited 2 s", journal(create().answered(429).retryAfter(2), create(at: 2))),
    .quiet("retry_after_ignored", "inside 50 ms of slack", journal(create().answered(429).retryAfter(1), create(at: 0.96))),
    .quiet("retry_after_ignored", "a different request", journal(create().answered(429).retryAfter(2), request("GET", "/v1/models", at: 0.1))),
    .fires(
        "no_backoff",
        on: [1, 2, 3, 4],
        "four tries 0.1 s apart",
        journal(create().answered(503), create(at: 0.1).answered(503), create(at: 0.2).answered(503), create(at: 0.3))
    ),
    .fires(
        "no_backoff",
        on: [1, 2, 3],
        "cut answers retried at a steady pace",
        journal(create().inFlight(), create(at: 1).fault("reset").answered(nil), create(at: 2))
    ),
    .quiet(
        "no_backoff",
        "exponential backoff 0.5, 1, 2 s",
        journal(create().answered(503), create(at: 0.5).answered(503), create(at: 1.5).answered(502), create(at: 3.5))
    ),
    .quiet("no_backoff", "two tries only", journal(create().answered(503), create(at: 0.1))),
    .quiet(
        "no_backoff",
        "Retry-After set the pace",
        journal(
            create().answered(429).retryAfter(1),
            create(at: 1).answered(429).retryAfter(1),
            create(at: 2).answered(429).retryAfter(1),
            create(at: 3)
        )
    ),
    .quiet(
        "no_backoff",
        "400s are not retryable (another finding)",
        journal(create().answered(400), create(at: 0.1).answered(400), create(at: 0.2).answered(400))
    ),
    .fires("retry_storm", on: Array(1...7), "seven tries", numbered((0..<7).map { create(at: Double($0) * 2).answered(503) })),
    .quiet("retry_storm", "six tries", numbered((0..<6).map { create(at: Double($0) * 2).answered(503) })),
    .quiet("retry_storm", "ten successful polls are no retries", numbered([create().task("t1")] + (1...10).map { poll("t1", at: Double($0) * 3) })),
]

@Suite struct RetryFindingsTests {
    @Test(arguments: retryFindingCases) func finds(_ c: FindingCase) {
        c.expectOutcome()
    }

    @Test func retryAfterIgnoredSaysHowLongItWaitedAndWasAsked() throws {
        let f = try #require(Verdict.analyse(journal(create().answered(429).retryAfter(2), create(at: 0.5))).findings.first)
        #expect(f.finding == "retry_after_ignored" && f.level == .must)
        #expect(
            f.message == "#2 POST /v1/images/generations → 200 came 0.50 s after #1 POST /v1/images/generations → 429, which asked to wait 2.00 s"
        )
    }

    @Test func retryStormCountsFromTheConstant() {
        let tries = numbered((0...RetryStorm.maximumTries).map { create(at: Double($0) * 2).answered(503) })
        let storm = Verdict.analyse(tries).findings.filter { $0.finding == "retry_storm" }
        #expect(storm.count == 1)
        #expect(storm.first?.message.contains("tried \(RetryStorm.maximumTries + 1) times") == true)
    }

    @Test func longRunsAreNamedByFirstAndLast() throws {
        let tries = numbered((0..<8).map { create(at: Double($0) * 0.1).answered(503) })
        let f = try #require(Verdict.analyse(tries).findings.first { $0.finding == "no_backoff" })
        #expect(f.message.hasPrefix("8 tries of POST /v1/images/generations (#1 … #8 (8 requests)) after 503, 503"))
        #expect(f.requests == Array(1...8))
    }
}
