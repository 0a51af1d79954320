import FakelabAPI
import FakelabChecks
import Testing

let requestCheckCases: [CheckCase] = [
    .init("request_sent", [:], journal(create()), passes: true, "one create, default min 1"),
    .init("request_sent", [:], journal(request("GET", "/v1/models")), passes: false, "no create"),
    .init("request_sent", ["route": "GET /v1/models"], journal(request("GET", "/v1/models")), passes: true, "a named route"),
    .init("request_sent", ["route": "create", "max": 1], journal(create(), create(at: 1)), passes: false, "over max"),
    .init("request_sent", ["route": "/v1/images/*", "min": 2], journal(create(), multipartEdit(at: 1)), passes: true, "a prefix"),
    .init(
        "request_sent",
        ["method": "POST", "path": "/v1/images/edits", "equals": 1],
        journal(create(), multipartEdit()),
        passes: true,
        "method+path"
    ),
    .init("request_sent", ["path": "/v1/images/edits", "equals": 2], journal(multipartEdit()), passes: false, "equals is exact"),
    .init("count", [:], [], passes: true, "count: min 0, any route"),
    .init("count", ["path": "/v1/images/generations", "equals": 1], journal(create()), passes: true, "the /verify spelling"),
    .init("count", ["method": "GET", "min": 1], journal(create()), passes: false, "no GET"),
    .init("count", ["path": "/v1/images/generations", "equals": 2], journal(create()), passes: false, "one, not two"),
    .init("no_request", [:], journal(request("GET", "/v1/models")), passes: true, "no create"),
    .init("no_request", ["route": "poll"], journal(create(), poll("t1", at: 1)), passes: false, "a status read"),
    .init("max_creates", [:], journal(create()), passes: true, "one create"),
    .init("max_creates", ["count": 1], journal(create(), create(at: 1)), passes: false, "two creates"),
    .init("max_creates", ["count": 2], journal(create(), multipartEdit(at: 1)), passes: true, "edits count as creates"),
]

@Suite struct RequestChecksTests {
    @Test(arguments: requestCheckCases) func judges(_ c: CheckCase) throws {
        try CheckRegistry.validate(name: c.check, arguments: c.arguments)
        #expect(c.judgement.passed == c.passes, "\(c.judgement)")
    }

    @Test func evidenceNamesRequestsBySeqMethodPathAndStatus() {
        let j = CheckRegistry.judge(
            "max_creates",
            ["count": 0],
            CheckInput(journal: journal(create().answered(429), create(at: 1).inFlight()))
        )
        #expect(j.expected == "at most 0 create request(s)")
        #expect(j.actual == "2: #1 POST /v1/images/generations → 429; #2 POST /v1/images/generations → no answer")
        #expect(j.requests == [1, 2])
    }

    @Test func evidenceListsFourRequestsThenAnEllipsis() {
        let six = numbered((0..<6).map { create(at: Double($0)) })
        let j = CheckRegistry.judge("request_sent", ["max": 1], CheckInput(journal: six))
        #expect(j.expected == "1…1 request(s) to create")
        #expect(j.actual.hasPrefix("6: #1 POST /v1/images/generations → 200; #2") && j.actual.hasSuffix("#4 POST /v1/images/generations → 200; …"))
    }

    @Test func countSaysWhatItCounted() {
        let j = CheckRegistry.judge("count", [:], CheckInput(journal: journal(create())))
        #expect(j.expected == "at least 0 request(s) to any route")
    }
}
