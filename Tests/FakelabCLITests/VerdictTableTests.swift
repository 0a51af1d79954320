import FakelabAPI
import FakelabCLI
import Testing

@Suite("fakelab verdict: the table")
struct VerdictTableTests {
    static let key = "sk-careless-0000abcd"

    static let verdictJSON = """
        {"ok": false,
         "findings": [
          {"finding": "retried_non_retryable", "level": "MUST", "message": "#2 repeats #1, which answered 400 unsupported_parameter (not retryable).", "requests": [1, 2], "advice": "Do not retry a 400, 401, 402, 403, 404 or 413: fix the request."},
          {"finding": "poll_too_fast", "level": "SHOULD", "message": "Polled every 0.1 s (guidance: 3–5 s).", "requests": [4, 5, 9], "advice": "Poll every 3 to 5 seconds."},
          {"finding": "retried_non_retryable", "level": "MUST", "message": "key sk-careless-0000abcd echoed", "requests": [6, 7], "advice": "Do not retry a 400, 401, 402, 403, 404 or 413: fix the request."}
         ],
         "counts": {"requests": 9, "must": 2, "should": 1}}
        """

    static func entry(_ seq: Int, _ method: String, _ path: String, _ status: Int?) -> JournalEntry {
        JournalEntry(seq: seq, time: 1_764_582_000 + Double(seq), method: method, path: path, status: status)
    }

    static let journal = [
        entry(1, "POST", "/v1/images/generations", 400), entry(2, "POST", "/v1/images/generations", 400),
        entry(3, "POST", "/v1/images/generations", 202), entry(4, "GET", "/v1/tasks/ldtask_1", 200),
        entry(5, "GET", "/v1/tasks/ldtask_1", 200), entry(6, "POST", "/v1/images/edits", 404), entry(7, "POST", "/v1/images/edits", nil),
    ]

    @Test("findings with their evidence, then each finding's advice once; the key masked")
    func render() throws {
        let verdict = try VerdictTable.Verdict(json: try JSONValue.parse(Array(Self.verdictJSON.utf8)))
        #expect(verdict.hasMust)
        let text = VerdictTable(verdict: verdict, journal: Self.journal, key: Self.key, url: "http://127.0.0.1:8080").render()
        #expect(
            text == """
                verdict for sk-…abcd at http://127.0.0.1:8080: FAIL — 2 MUST, 1 SHOULD finding(s) over 9 request(s)

                LEVEL   FINDING                EVIDENCE
                MUST    retried_non_retryable  #2 repeats #1, which answered 400 unsupported_parameter (not retryable).
                                               #1  POST /v1/images/generations → 400
                                               #2  POST /v1/images/generations → 400
                SHOULD  poll_too_fast          Polled every 0.1 s (guidance: 3–5 s).
                                               #4  GET /v1/tasks/ldtask_1 → 200
                                               #5  GET /v1/tasks/ldtask_1 → 200
                                               #9  (no longer in the journal)
                MUST    retried_non_retryable  key sk-…abcd echoed
                                               #6  POST /v1/images/edits → 404
                                               #7  POST /v1/images/edits → (no answer)

                advice:
                  retried_non_retryable  Do not retry a 400, 401, 402, 403, 404 or 413: fix the request.
                  poll_too_fast          Poll every 3 to 5 seconds.
                """
        )
        #expect(!text.contains(Self.key))
    }

    @Test("no findings: one line, exit 0")
    func clean() throws {
        let verdict = try VerdictTable.Verdict(json: ["ok": true, "findings": [], "counts": ["requests": 3, "must": 0, "should": 0]])
        #expect(!verdict.hasMust)
        #expect(
            VerdictTable(verdict: verdict, journal: [], key: Self.key, url: "http://h").render()
                == "verdict for sk-…abcd at http://h: ok — no findings over 3 request(s)"
        )
    }

    @Test("SHOULD findings only: ok, exit 0")
    func shouldOnly() throws {
        let verdict = try VerdictTable.Verdict(json: [
            "findings": [["finding": "poll_too_fast", "level": "SHOULD", "message": "m", "requests": [1], "advice": "a"]],
            "counts": ["requests": 1],
        ])
        #expect(!verdict.hasMust)
        #expect(
            VerdictTable(verdict: verdict, journal: [], key: Self.key, url: "http://h").render().hasPrefix(
                "verdict for sk-…abcd at http://h: ok — 0 MUST, 1 SHOULD"
            )
        )
    }

    @Test("an answer that is not a verdict is refused")
    func notAVerdict() {
        #expect(throws: VerdictError.malformed) { try VerdictTable.Verdict(json: ["object": "list"]) }
        #expect(throws: VerdictError.malformed) { try VerdictTable.Verdict(json: ["findings": [["finding": "x", "level": "MAY"]]]) }
    }
}
