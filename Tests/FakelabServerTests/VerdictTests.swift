import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The traffic verdict on real requests over a socket: for every finding, a careless client's
/// traffic makes it fire, and a careful client's doing the same job does not.
@Suite struct VerdictTests {
    enum Case: String, CaseIterable, Sendable {
        case retriedNonRetryable = "retried_non_retryable"
        case retryAfterIgnored = "retry_after_ignored"
        case noBackoff = "no_backoff"
        case retryStorm = "retry_storm"
        case duplicateCreate = "duplicate_create"
        case pollAfterTerminal = "poll_after_terminal"
        case pollURLNotFollowed = "poll_url_not_followed"
        case pollTooFast = "poll_too_fast"
        case taskAbandoned = "task_abandoned"
        case unsupportedFieldSent = "unsupported_field_sent"
        case modelMissing = "model_missing"
        case unsafeReferenceURL = "unsafe_reference_url"
        case b64ExpectedFromTask = "b64_expected_from_task"
        case expiredURLRefetched = "expired_url_refetched"
    }

    static let fault = HTTPField.Name("X-Fakelab-Fault")!
    static let create: JSONValue = ["model": "gpt-image-2", "prompt": "a ceramic cup", "size": "1024x1024"]
    static let task: JSONValue = ["model": "flux-pro", "prompt": "a ceramic cup"]

    @Test(arguments: Case.allCases)
    func aCarelessClientMakesTheFindingFire(_ c: Case) async throws {
        let findings = try await Self.verdict(for: c, careful: false)
        #expect(findings.contains(c.rawValue), "\(c.rawValue) should fire; got \(findings)")
    }

    @Test(arguments: Case.allCases)
    func aCarefulClientDoingTheSameJobDoesNot(_ c: Case) async throws {
        let findings = try await Self.verdict(for: c, careful: true)
        #expect(!findings.contains(c.rawValue), "\(c.rawValue) fired for the careful client: \(findings)")
    }

    @Test func theVerdictIsOKOnlyWithoutMustFindingsAndSinceLimitsIt() async throws {
        try await testApplication(try testConfiguration()).test(.live) { client in
            #expect(try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "style": "vivid"]).status == 400)
            #expect(try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "style": "vivid"]).status == 400)
            let verdict = try await client.get("/__fakelab/verdict").json
            #expect(verdict["ok"] == false)
            #expect(verdict["counts"]?["must"]?.intValue ?? 0 >= 1)
            let finding = try #require(verdict["findings"]?.arrayValue?.first { $0["finding"] == "retried_non_retryable" })
            #expect(finding["level"] == "MUST" && finding["requests"] == [1, 2])
            #expect(finding["advice"]?.stringValue?.isEmpty == false)
            #expect(try await client.get("/__fakelab/verdict?since=2").json["ok"] == true, "since= limits it to newer traffic")
            #expect(try await client.get("/__fakelab/verdict?since=two").status == 400)
        }
    }

    /// Drives one job the careless or the careful way, then reads the key's verdict.
    static func verdict(for c: Case, careful: Bool) async throws -> Set<String> {
        try await testApplication(try testConfiguration()).test(.live) { client in
            try await drive(c, careful: careful, client)
            let body = try await client.get("/__fakelab/verdict").json
            return Set(body["findings"]?.arrayValue?.compactMap { $0["finding"]?.stringValue } ?? [])
        }
    }

    static func advance(_ client: some TestClientProtocol, _ seconds: Double) async throws {
        _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": .double(seconds)])
    }

    static func control(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: JSONValue) async throws {
        let r = try await client.send(
            path,
            method: method,
            headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
            body: ByteBuffer(bytes: body.serialized())
        )
        #expect(r.status == 200, "\(path): \(r.json)")
    }

    static func drive(_ c: Case, careful: Bool, _ client: some TestClientProtocol) async throws {
        switch c {
        case .retriedNonRetryable:
            let bad: JSONValue = ["model": "gpt-image-2", "prompt": "x", "size": "3x3"]
            _ = try await client.postJSON("/v1/images/generations", bad)
            _ = try await client.postJSON("/v1/images/generations", careful ? create : bad)
        case .retryAfterIgnored:
            try await control(client, .post, "/__fakelab/faults", ["fault": "rate_limited; retry_after=2", "times": 1])
            _ = try await client.postJSON("/v1/images/generations", create)
            if careful { try await advance(client, 2.5) }
            _ = try await client.postJSON("/v1/images/generations", create)
        case .noBackoff, .retryStorm:
            let tries = c == .retryStorm && !careful ? 8 : 4
            try await control(client, .post, "/__fakelab/faults", ["fault": "server_error", "times": .int(tries - 1)])
            for i in 0..<tries {
                if i > 0 { try await advance(client, careful ? Double(1 << i) : 1) }
                _ = try await client.postJSON("/v1/images/generations", create)
            }
        case .duplicateCreate:
            _ = try await client.postJSON("/v1/images/generations", create, headers: [fault: "malformed_json"])
            if careful { _ = try await client.get("/v1/tasks/ldtask_00000000000000000000000000000000") }
            _ = try await client.postJSON("/v1/images/generations", create)
        case .pollAfterTerminal, .pollURLNotFollowed, .pollTooFast, .taskAbandoned:
            try await pollJob(c, careful: careful, client)
        case .unsupportedFieldSent:
            var body = create
            if !careful { body = ["model": "gpt-image-2", "prompt": "a ceramic cup", "style": "vivid"] }
            _ = try await client.postJSON("/v1/images/generations", body)
        case .modelMissing:
            _ = try await client.postJSON("/v1/images/generations", careful ? create : ["prompt": "a ceramic cup"])
        case .unsafeReferenceURL:
            let url = careful ? "https://images.example.com/cup.png" : "http://10.0.0.7/cup.png"
            _ = try await client.postJSON(
                "/v1/images/generations",
                ["model": "nano-banana", "prompt": "restyle", "operation": "image-to-image", "image_urls": [.string(url)]]
            )
        case .b64ExpectedFromTask:
            let format = careful ? "url" : "b64_json"
            try await control(client, .put, "/__fakelab/task-policy", ["policy": "instant"])
            let created = try await client.postJSON(
                "/v1/images/generations",
                ["model": "flux-pro", "prompt": "cup", "response_format": .string(format)]
            )
            let id = try #require(created.json["task_id"]?.stringValue)
            _ = try await client.get("/v1/tasks/\(id)")
        case .expiredURLRefetched:
            let r = try await client.postJSON("/v1/images/generations", create, headers: [fault: "expired_url"])
            let link = try #require(r.json["data"]?.arrayValue?.first?["url"]?.stringValue)
            let path = String(link[try #require(link.range(of: "/fakelab/")).lowerBound...])
            _ = try await client.get(path, key: nil)
            if !careful { _ = try await client.get(path, key: nil) }
        }
    }

    /// Task jobs: a careful client follows `poll_url`, waits between reads and stops at the end.
    static func pollJob(_ c: Case, careful: Bool, _ client: some TestClientProtocol) async throws {
        try await control(client, .put, "/__fakelab/task-policy", ["policy": "polls:2,1", "poll_path": "/v1/images/generations/{id}"])
        let created = try await client.postJSON("/v1/images/generations", task)
        let pollURL = try #require(created.json["poll_url"]?.stringValue)
        let id = try #require(created.json["task_id"]?.stringValue)
        if c == .taskAbandoned, !careful { return }
        let path = c == .pollURLNotFollowed && !careful ? "/v1/tasks/\(id)" : pollURL
        var status = ""
        for _ in 0..<10 where status != "completed" {
            if careful || c != .pollTooFast { try await advance(client, 4) }
            status = try await client.get(path).json["status"]?.stringValue ?? ""
        }
        #expect(status == "completed")
        if c == .pollAfterTerminal, !careful { _ = try await client.get(path) }
    }
}
