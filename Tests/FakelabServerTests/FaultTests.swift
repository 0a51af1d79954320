import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Staged TokenLab errors, as a client sees them on the wire.
@Suite struct FaultTests {
    static let create: JSONValue = ["model": "gpt-image-2", "prompt": "cup"]

    func headers(fault: String) -> HTTPFields {
        var h = HTTPFields()
        h[HTTPField.Name("X-Fakelab-Fault")!] = fault
        return h
    }

    struct Staged: Sendable, CustomTestStringConvertible {
        let fault: String
        let status: Int
        let type: String
        let code: String?
        var testDescription: String { fault }
    }

    static let errors: [Staged] = [
        .init(fault: "invalid_api_key", status: 401, type: "invalid_api_key", code: "invalid_api_key"),
        .init(fault: "expired_api_key", status: 401, type: "expired_api_key", code: "expired_api_key"),
        .init(fault: "insufficient_balance", status: 402, type: "insufficient_balance", code: "insufficient_balance"),
        .init(fault: "quota_exceeded", status: 402, type: "quota_exceeded", code: "quota_exceeded"),
        .init(fault: "model_not_allowed", status: 403, type: "permission_error", code: "model_not_allowed"),
        .init(fault: "payload_too_large", status: 413, type: "invalid_request_error", code: "payload_too_large"),
        .init(fault: "rate_limited; retry_after=3", status: 429, type: "rate_limit_exceeded", code: "rate_limit_exceeded"),
        .init(fault: "server_error", status: 500, type: "server_error", code: nil),
        .init(fault: "upstream_error", status: 502, type: "upstream_error", code: "upstream_error"),
        .init(fault: "all_channels_failed", status: 503, type: "all_channels_failed", code: "all_channels_failed"),
        .init(fault: "timeout", status: 504, type: "timeout_error", code: "timeout"),
    ]

    @Test(arguments: errors)
    func headerStagesEachDocumentedError(s: Staged) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: s.fault))
            #expect(r.status == s.status)
            #expect(r.error?["type"]?.stringValue == s.type)
            #expect(r.error?["code"]?.stringValue == s.code)
            #expect(r.headers[HTTPField.Name("X-Request-ID")!] != nil)
        }
    }

    @Test func rateLimitedCarriesRetryAfterEverywhereTheNotesSay() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: "rate_limited; retry_after=3"))
            #expect(r.headers[HTTPField.Name("Retry-After")!] == "3")
            #expect(r.headers[HTTPField.Name("X-RateLimit-Limit")!] != nil)
            #expect(r.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            #expect(r.headers[HTTPField.Name("X-RateLimit-Reset")!] != nil)
            #expect(r.error?["retry_after"]?.doubleValue == 3)
            #expect(r.error?["retryable"] == true)
        }
    }

    @Test func insufficientBalanceAndAllChannelsFailedCarryTheirExtras() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let balance = try await client.postJSON(
                "/v1/images/generations",
                Self.create,
                headers: headers(fault: "insufficient_balance; balance_usd=0.5")
            )
            #expect(balance.error?["balance_usd"]?.doubleValue == 0.5)
            #expect(balance.error?["estimated_cost_usd"]?.doubleValue != nil)
            let channels = try await client.postJSON(
                "/v1/images/generations",
                Self.create,
                headers: headers(fault: "all_channels_failed; retry_after=7")
            )
            #expect(channels.error?["retry_after"]?.doubleValue == 7)
            #expect(channels.error?["retryable"] == true)
            #expect(channels.error?["alternatives"]?.arrayValue?.first?["id"] != nil)
        }
    }

    @Test func unknownFaultHeaderIsA400NotACrash() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: "explode; now=yes"))
            #expect(r.status == 400)
            #expect(r.error?["param"] == "X-Fakelab-Fault")
        }
    }

    @Test func taskFailedFaultFailsTheTaskWithItsReason() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let created = try await client.postJSON(
                "/v1/images/generations",
                ["model": "flux-pro", "prompt": "x"],
                headers: headers(fault: "task_failed; reason=content_policy")
            )
            let id = try #require(created.json["id"]?.stringValue)
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 10])
            let done = try await client.get("/v1/tasks/\(id)")
            #expect(done.status == 200)
            #expect(done.json["status"] == "failed")
            #expect(done.json["error"] == "Content policy violation")
            #expect(done.json["data"] == [])
        }
    }

    @Test func expiredURLFaultGivesLinksThat404() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: "expired_url"))
            let url = try #require(r.json["data"]?.arrayValue?.first?["url"]?.stringValue)
            let path = String(url[url.range(of: "/fakelab/")!.lowerBound...])
            #expect(try await client.get(path, key: nil).status == 404)
        }
    }

    @Test func malformedJSONAndWrongContentTypeShapeTheBody() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let broken = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: "malformed_json"))
            #expect(broken.status == 200)
            #expect(broken.json == .null, "the body must not parse")
            let html = try await client.postJSON("/v1/images/generations", Self.create, headers: headers(fault: "wrong_content_type"))
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }
}

/// The control API: rules, policies, clock, reset, journal, verify; all per key.
@Suite struct ControlAPITests {
    let other = "sk-another-tenant-0002"

    @Test func ruleTimesAndAfterCountMatchingCalls() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let set = try await client.postJSON(
                "/__fakelab/faults",
                ["rules": [["fault": "server_error", "route": "/v1/images/generations", "after": 1, "times": 2]]]
            )
            #expect(set.status == 200)
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await client.postJSON("/v1/images/generations", FaultTests.create).status) }
            #expect(statuses == [200, 500, 500, 200, 200])
            // Another key is untouched.
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create, key: other).status == 200)
        }
    }

    @Test func seededProbabilityGivesTheSameSequenceTwice() async throws {
        func run() async throws -> [Int] {
            try await testApplication(try testConfiguration()).test(.router) { client in
                _ = try await client.postJSON("/__fakelab/faults", ["fault": "upstream_error", "probability": 0.5, "seed": 42])
                var statuses: [Int] = []
                for _ in 0..<20 { statuses.append(try await client.postJSON("/v1/images/generations", FaultTests.create).status) }
                return statuses
            }
        }
        let a = try await run()
        let b = try await run()
        #expect(a == b)
        #expect(a.contains(200) && a.contains(502), "a 0.5 rule over 20 calls fires sometimes: \(a)")
    }

    @Test func modelRulesMatchOnlyThatModel() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            _ = try await client.postJSON("/__fakelab/faults", ["fault": "quota_exceeded", "model": "nano-banana"])
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create).status == 200)
            #expect(try await client.postJSON("/v1/images/generations", ["model": "nano-banana", "prompt": "x"]).status == 402)
        }
    }

    @Test func badControlInputSaysWhatIsWrong() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let badRule = try await client.postJSON("/__fakelab/faults", ["rules": [["fault": "server_error", "probability": 2]]])
            #expect(badRule.status == 400)
            #expect(badRule.error?["param"] == "rules[0]")
            #expect(badRule.error?["message"]?.stringValue?.contains("probability") == true)
            let badPolicy = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"policy":"soon"}"#)
            )
            #expect(badPolicy.status == 400)
            #expect(try await client.postJSON("/__fakelab/clock/advance", ["seconds": -1]).status == 400)
            #expect(try await client.postJSON("/__fakelab/faults", ["rules": []], key: nil).status == 401)
        }
    }

    @Test func taskPolicyPerKeyAndClockAdvance() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let put = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"policy":"duration:60,60"}"#)
            )
            #expect(put.status == 200)
            let id = try #require(try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue)
            #expect(try await client.get("/v1/tasks/\(id)").json["status"] == "pending")
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 90])
            let mid = try await client.get("/v1/tasks/\(id)")
            #expect(mid.json["status"] == "processing")
            #expect(mid.json["progress"] == 50)
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 60])
            #expect(try await client.get("/v1/tasks/\(id)").json["status"] == "completed")
            // The other key's tasks still use the server default.
            let otherID = try #require(
                try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"], key: other).json["id"]?.stringValue
            )
            #expect(try await client.get("/v1/tasks/\(otherID)", key: other).json["status"] == "pending")
        }
    }

    @Test func journalRecordsMaskedRequestsAndVerifyJudgesThem() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            _ = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"policy":"polls:0,0"}"#)
            )
            let id = try #require(
                try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "secret-free prompt"]).json["id"]?.stringValue
            )
            _ = try await client.get("/v1/tasks/\(id)")
            let journal = try await client.get("/__fakelab/journal")
            let entries = try #require(journal.json["data"]?.arrayValue)
            #expect(entries.count == 2)
            #expect(entries[0]["model"] == "flux-pro")
            #expect(entries[0]["body"]?["fields"]?["prompt"] == "secret-free prompt")
            #expect(entries[0]["body"]?["kind"] == "json")
            #expect(entries[1]["task_status"] == "completed")
            let auth = try #require(entries[0]["headers"]?["authorization"]?.stringValue)
            #expect(!auth.contains(testKey) && auth.hasPrefix("Bearer sk-…"))
            #expect(!journal.bytes.contains(subsequence: Array(testKey.utf8)))

            var verdict = try await client.postJSON(
                "/__fakelab/verify",
                [
                    "checks": [
                        ["check": "count", "method": "POST", "path": "/v1/images/generations", "equals": 1],
                        ["check": "no_poll_after_terminal"],
                    ]
                ]
            )
            #expect(verdict.json["ok"] == true)
            _ = try await client.get("/v1/tasks/\(id)")
            verdict = try await client.postJSON("/__fakelab/verify", ["checks": [["check": "no_poll_after_terminal"]]])
            #expect(verdict.json["ok"] == false)
            // A check of a client run has no client here: a 400 naming it, not a failed check.
            let clientOnly = try await client.postJSON(
                "/__fakelab/verify",
                ["checks": [["check": "no_poll_after_terminal"], ["check": "exit_code"]]]
            )
            #expect(clientOnly.status == 400)
            #expect(clientOnly.error?["param"] == "checks[1]")
            // The other key's journal is empty, and reset empties this one.
            #expect(try await client.get("/__fakelab/journal", key: other).json["data"] == [])
            _ = try await client.postJSON("/__fakelab/reset", [:])
            #expect(try await client.get("/__fakelab/journal").json["data"] == [])
            #expect(try await client.get("/v1/tasks/\(id)").status == 404, "reset forgets the key's tasks")
        }
    }

    @Test func retryAfterCheckSeesTooEarlyRetries() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            _ = try await client.postJSON("/__fakelab/faults", ["fault": "rate_limited; retry_after=2", "times": 1])
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create).status == 429)
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create).status == 200)
            let verdict = try await client.postJSON("/__fakelab/verify", ["checks": [["check": "retry_after_respected"]]])
            #expect(verdict.json["ok"] == false)
        }
    }

    /// A body of 10,000 fields or a 10,000-element array is journaled as a bounded summary.
    @Test func journalEntriesOfHugeBodiesStaySmall() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var wide: [String: JSONValue] = ["model": "gpt-image-2", "prompt": "x"]
            for i in 0..<10_000 { wide["f\(i)"] = .int(i) }
            wide["image_urls"] = .array((0..<10_000).map { .string("https://images.example.com/\($0).png") })
            _ = try await client.postJSON("/v1/images/generations", .object(wide))
            let refused = try await client.postJSON("/v1/images/generations", .object(wide))
            #expect(refused.status == 400)
            #expect(refused.json["validation_errors"]?.arrayValue?.count == 100, "the answer lists at most 100 violations")
            let entry = try #require(try await client.get("/__fakelab/journal").json["data"]?.arrayValue?.last)
            let body = try #require(entry["body"]?["fields"]?.objectValue)
            #expect(body.count == 64 + 1, "64 members kept, then a note")
            #expect(body["…"] == .string("\(10_003 - 64) more members"))
            #expect(entry.serializedString().utf8.count < 8_000)
        }
    }

    @Test func journalStaysWithinItsBound() async throws {
        var config = try testConfiguration()
        config.journalCapacity = 50
        config.rateLimitPerMinute = 0
        try await testApplication(config).test(.router) { client in
            for _ in 0..<120 { _ = try await client.get("/v1/tasks/ldtask_" + String(repeating: "a", count: 32)) }
            let entries = try await client.get("/__fakelab/journal").json["data"]?.arrayValue ?? []
            #expect(entries.count == 50)
            #expect(entries.last?["seq"] == 120)
        }
    }

    /// Many keys cannot grow the journals without bound: past the total, the least recently
    /// used keys' journals are emptied first; the key in use keeps its own.
    @Test func journalsShareOneTotalBound() async throws {
        var config = try testConfiguration()
        config.journalCapacity = 50
        config.journalTotalCapacity = 100
        config.rateLimitPerMinute = 0
        try await testApplication(config).test(.router) { client in
            let keys = (0..<5).map { "sk-journal-budget-000\($0)" }
            for key in keys {
                for _ in 0..<40 { _ = try await client.get("/v1/tasks/ldtask_" + String(repeating: "b", count: 32), key: key) }
            }
            var counts: [Int] = []
            for key in keys { counts.append(try await client.get("/__fakelab/journal", key: key).json["data"]?.arrayValue?.count ?? -1) }
            #expect(counts.reduce(0, +) <= 100, "\(counts)")
            #expect(counts.last == 40, "the key used last keeps its journal: \(counts)")
            #expect(counts.first == 0, "the key used first was emptied: \(counts)")
        }
    }

    @Test func aRefusedRequestLeavesItsRuleUnfired() async throws {
        var config = try testConfiguration()
        config.rateLimitPerMinute = 1
        try await testApplication(config).test(.router) { client in
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create).status == 200)
            _ = try await client.postJSON("/__fakelab/faults", ["fault": "upstream_error", "times": 1])
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create).status == 429)
            let rules = try await client.get("/__fakelab/faults").json["rules"]?.arrayValue
            #expect(rules?.first?["fired"] == 0, "the 429 must not spend the staged fault: \(String(describing: rules))")
            let journal = try await client.get("/__fakelab/journal").json["data"]?.arrayValue ?? []
            #expect(journal.last?["fault"] == nil || journal.last?["fault"] == .null, "the 429's entry names no fault")
        }
    }

    @Test func realRateLimiterThrottlesPerKey() async throws {
        var config = try testConfiguration()
        config.rateLimitPerMinute = 3
        try await testApplication(config).test(.router) { client in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await client.postJSON("/v1/images/generations", FaultTests.create).status) }
            #expect(statuses == [200, 200, 200, 429])
            let limited = try await client.postJSON("/v1/images/generations", FaultTests.create)
            #expect(limited.headers[HTTPField.Name("Retry-After")!].flatMap(Int.init).map { $0 >= 1 && $0 <= 60 } == true)
            #expect(try await client.postJSON("/v1/images/generations", FaultTests.create, key: other).status == 200)
            let ok = try await client.postJSON("/v1/images/generations", FaultTests.create, key: "sk-third-tenant-00003")
            #expect(ok.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "2")
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}

@Suite struct MaskTests {
    @Test func masksKeepOnlyWhatIsSafe() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Api-Key")!] = "sk-live-abcdefghijklmnop"
            headers[HTTPField.Name("Cookie")!] = "session=supersecretvalue123"
            _ = try await client.postJSON("/v1/images/generations", FaultTests.create, headers: headers)
            let journal = try await client.get("/__fakelab/journal")
            let recorded = try #require(journal.json["data"]?.arrayValue?.first?["headers"])
            #expect(recorded["authorization"] == .string("Bearer sk-…" + testKey.suffix(4)))
            #expect(recorded["x-api-key"] == "sk-…mnop")
            #expect(recorded["cookie"] == "…e123")
            #expect(!journal.bytes.contains(subsequence: Array("supersecretvalue".utf8)))
            #expect(!journal.bytes.contains(subsequence: Array("abcdefghijkl".utf8)))
        }
    }
}

/// A key a client puts anywhere (the model, a member name, the path, the query) is echoed back to that client as TokenLab would, but never
/// shown by the journal API: not in the list, an entry's detail or the verdict.
@Suite struct EchoedKeyTests {
    static let secret = "sk-live-ECHOEDSECRET0123456789"

    @Test func aKeyEchoedAnywhereNeverReachesTheJournalAPI() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let echoed = try await client.postJSON("/v1/images/generations", ["model": .string(Self.secret), "prompt": "x"])
            #expect(echoed.status == 400)
            #expect(echoed.bytes.contains(subsequence: Array("ECHOEDSECRET".utf8)))  // the client's own answer echoes it
            let named = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", Self.secret: 1])
            #expect(named.status == 400)
            _ = try await client.get("/v1/tasks/\(Self.secret)")
            _ = try await client.get("/v1/tasks/task_none?api_key=\(Self.secret)")

            var pages = [try await client.get("/__fakelab/journal"), try await client.get("/__fakelab/verdict")]
            let count = try #require(pages[0].json["data"]?.arrayValue?.count)
            #expect(count == 4)
            for seq in 1...count { pages.append(try await client.get("/__fakelab/journal/\(seq)")) }
            for page in pages {
                #expect(page.status == 200)
                #expect(!page.bytes.contains(subsequence: Array("ECHOEDSECRET".utf8)), "\(String(decoding: page.bytes, as: UTF8.self).prefix(300))")
            }
            #expect(pages[0].bytes.contains(subsequence: Array("sk-…6789".utf8)))
        }
    }
}

@Suite struct HostileFaultInputTests {
    @Test(arguments: [
        "delay; ms=1e300", "rate_limited; retry_after=1e300", "hang; max_s=99999999", "dribble; bytes=1e20", "delay; ms=-5", "delay; ms=nan",
    ])
    func outOfRangeFaultParametersAre400s(fault: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Fakelab-Fault")!] = fault
            let r = try await client.postJSON("/v1/images/generations", FaultTests.create, headers: headers)
            #expect(r.status == 400)
            #expect(r.error?["param"] == "X-Fakelab-Fault")
        }
    }

    @Test func absurdTaskPoliciesAreRefused() {
        #expect(TaskPolicy(parsing: "duration:1e300,1") == nil)
        #expect(TaskPolicy(parsing: "polls:99999999999,1") == nil)
        #expect(TaskPolicy(parsing: "duration:60,30") != nil)
    }

    @Test func anUploadClaimingFourBillionSquaredPixelsIsA400() async throws {
        var bomb = DerivedImageTests.solid(4, 4, (1, 2, 3))
        bomb.replaceSubrange(16..<24, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        let png = bomb
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postForm(
                "/v1/images/edits",
                [.text("model", "gpt-image-2"), .text("prompt", "x"), .file("image", "bomb.png", png)]
            )
            #expect(r.status == 400)
            #expect(r.error?["code"] == "invalid_image")
        }
    }
}
