import FakelabAPI
import FakelabChecks
import Testing

@Suite struct VerdictTests {
    /// A careless client: retried a 429 at once, then created twice after a cut answer, polled too fast.
    static let careless = journal(
        create().answered(429).retryAfter(2),
        create(at: 0.2).fault("reset").answered(nil),
        create(at: 0.4).task("t1"),
        poll("t1", at: 0.6),
        poll("t1", at: 0.8).returned("completed", urls: ["http://127.0.0.1/fakelab/images/t1.png"])
    )

    @Test func aCarelessClientFails() {
        let report = Verdict.analyse(Self.careless)
        #expect(!report.ok)
        #expect(report.findings.map(\.finding) == ["retry_after_ignored", "duplicate_create", "poll_too_fast"])
        #expect(report.counts == .init(requests: 5, must: 2, should: 1))
    }

    @Test func aCarefulClientPasses() {
        let report = Verdict.analyse(
            journal(
                create().answered(429).retryAfter(2),
                create(at: 2.1).task("t1"),
                poll("t1", at: 5),
                poll("t1", at: 8).returned("completed", urls: ["http://127.0.0.1/fakelab/images/t1.png"]),
                request("GET", "/fakelab/images/t1.png", at: 8.1)
            )
        )
        #expect(report.ok && report.findings.isEmpty)
        #expect(report.counts == .init(requests: 5, must: 0, should: 0))
    }

    @Test func shouldFindingsDoNotFail() {
        let report = Verdict.analyse(polledTask(every: 0.5, reads: 3))
        #expect(report.ok)
        #expect(report.counts.should == 1 && report.counts.must == 0)
    }

    @Test func sinceLimitsToNewerTraffic() {
        let report = Verdict.analyse(Self.careless, since: 2)
        #expect(report.counts.requests == 3)
        #expect(report.findings.map(\.finding) == ["poll_too_fast"])
        #expect(Verdict.analyse(Self.careless, since: 5).counts == .init(requests: 0, must: 0, should: 0))
    }

    @Test func jsonIsContractsSectionTwo() throws {
        let report = Verdict.analyse(journal(create().answered(429).retryAfter(2), create(at: 0.5)))
        let f = try #require(report.findings.first)
        let expected: JSONValue = [
            "ok": false,
            "findings": [
                [
                    "finding": "retry_after_ignored", "level": "MUST", "message": .string(f.message), "requests": [1, 2],
                    "advice": .string(RetryAfterIgnored().advice),
                ]
            ],
            "counts": ["requests": 2, "must": 1, "should": 0],
        ]
        #expect(report.json == expected)
    }

    @Test func everyFindingHasItsContractLevelAndOneSentenceAdvice() {
        let levels: [String: Finding.Level] = [
            "retried_non_retryable": .must, "retry_after_ignored": .must, "no_backoff": .should, "retry_storm": .must,
            "duplicate_create": .must, "poll_after_terminal": .must, "poll_url_not_followed": .must, "poll_too_fast": .should,
            "task_abandoned": .should, "unsupported_field_sent": .must, "model_missing": .must, "unsafe_reference_url": .must,
            "b64_expected_from_task": .should, "expired_url_refetched": .should,
        ]
        #expect(Set(FindingRegistry.all.keys) == Set(levels.keys))
        for rule in FindingRegistry.rules {
            #expect(rule.level == levels[rule.name], "\(rule.name)")
            #expect(rule.advice.hasSuffix(".") && !rule.advice.dropLast().contains(". "), "\(rule.name): \(rule.advice)")
        }
    }

    @Test func everyMessageNamesItsRequests() {
        for c in allFindingCases where c.requests != nil {
            for f in c.found {
                let named = f.requests.filter { f.message.contains("#\($0)") }
                #expect(!named.isEmpty, "\(f.finding): \(f.message)")
            }
        }
    }
}
