import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// Rules from TokenLab's docs of 2026-09-25 (docs/tokenlab.md): error bodies carry the request
/// id, failed tasks carry `error_details`, `poll_url` may be the image path, the delivery policy
/// header, and `Retry-After` as an HTTP-date.
@Suite struct TokenLab2026Tests {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let delivery = HTTPField.Name("X-TokenLab-Delivery-Policy")!
    static let fault = HTTPField.Name("X-Fakelab-Fault")!

    @Test(arguments: [
        ("/v1/images/generations", #"{"model":"no-such-model","prompt":"x"}"#, true),
        ("/v1/images/generations", #"{"model":"gpt-image-2","prompt":"x"}"#, false),
        ("/v1/nowhere", "{}", true),
    ])
    func everyErrorBodyCarriesTheRequestIDOfItsAnswer(path: String, body: String, authenticated: Bool) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(path, try JSONValue.parse(Array(body.utf8)), key: authenticated ? testKey : nil)
            #expect(r.status >= 400)
            let id = try #require(r.headers[Self.requestID])
            #expect(r.json["error"]?["request_id"]?.stringValue == id)
        }
    }

    @Test func requestIDsAreReqAndAULID() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try #require(try await client.get("/health").headers[Self.requestID])
            #expect(id.hasPrefix("req_") && id.count == 30)
            let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
            #expect(id.dropFirst(4).allSatisfy { crockford.contains($0) }, "\(id)")
        }
    }

    @Test(arguments: [
        ("content_policy", 400, "invalid_request_error", false),
        ("upstream", 502, "upstream_error", true),
        ("timeout", 504, "timeout_error", true),
    ])
    func failedTasksCarryErrorDetails(reason: String, status: Int, type: String, retryable: Bool) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            _ = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: .init(string: #"{"policy":"instant+fail:\#(reason)"}"#)
            )
            let task = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "cup"])
            let id = try #require(task.json["task_id"]?.stringValue)
            let failed = try await client.get("/v1/tasks/\(id)")
            #expect(failed.status == 200)
            #expect(failed.json["status"] == "failed")
            #expect(failed.json["error"]?.stringValue?.isEmpty == false, "error keeps its string shape")
            let details = try #require(failed.json["error_details"])
            #expect(details["status"]?.intValue == status)
            #expect(details["type"]?.stringValue == type)
            #expect(details["retryable"]?.boolValue == retryable)
            #expect(details["message"]?.stringValue == failed.json["error"]?.stringValue)
            #expect(details["code"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func aKeyCanMovePollURLToTheImagePath() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let set = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: .init(string: #"{"poll_path":"/v1/images/generations/{id}"}"#)
            )
            #expect(set.status == 200)
            let task = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "cup"])
            let id = try #require(task.json["task_id"]?.stringValue)
            #expect(task.json["poll_url"]?.stringValue == "/v1/images/generations/\(id)")
            let read = try await client.get("/v1/images/generations/\(id)")
            #expect(read.json["poll_url"]?.stringValue == "/v1/images/generations/\(id)")
            // Other keys keep the default.
            let other = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "cup"], key: "sk-another-key-0002")
            #expect(other.json["poll_url"]?.stringValue?.hasPrefix("/v1/tasks/") == true)
            let bad = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: .init(string: #"{"poll_path":"/v1/elsewhere/{id}"}"#)
            )
            #expect(bad.status == 400 && bad.error?["param"] == "poll_path")
        }
    }

    @Test func aSyncAnswerNeverCarriesTaskFields() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "cup"])
            #expect(r.status == 200)
            for field in ["id", "task_id", "status", "poll_url"] { #expect(r.json[field] == nil, "\(field)") }
        }
    }

    @Test(arguments: ["auto", "verified", "official", "OFFICIAL"])
    func deliveryPoliciesAreAccepted(policy: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "cup"], headers: [Self.delivery: policy])
            #expect(r.status == 200)
        }
    }

    @Test func anUnknownDeliveryPolicyNamesTheHeader() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.delivery: "cheapest"]
            )
            #expect(r.status == 400)
            #expect(r.error?["type"] == "invalid_request_error")
            #expect(r.error?["param"] == "X-TokenLab-Delivery-Policy")
        }
    }

    @Test func aKeyWithoutTheTierGets503DeliveryTierUnavailable() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let set = try await client.send(
                "/__fakelab/delivery",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: .init(string: #"{"unavailable":["official"]}"#)
            )
            #expect(set.status == 200)
            let official = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.delivery: "official"]
            )
            #expect(official.status == 503)
            #expect(official.error?["type"] == "all_channels_failed")
            #expect(official.error?["code"] == "delivery_tier_unavailable")
            #expect(official.error?["retryable"] == true)
            #expect(official.error?["request_id"]?.stringValue == official.headers[Self.requestID])
            let auto = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.delivery: "auto"]
            )
            #expect(auto.status == 200, "auto takes any channel")
        }
    }

    @Test func theDeliveryFaultIs503WithRetryAfter() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.fault: "delivery_tier_unavailable; retry_after=3"]
            )
            #expect(r.status == 503)
            #expect(r.error?["code"] == "delivery_tier_unavailable")
            #expect(r.headers[.retryAfter] == "3")
        }
    }

    @Test(arguments: ["rate_limited; retry_after=7", "all_channels_failed; retry_after=7", "delivery_tier_unavailable; retry_after=7"])
    func retryAfterCanBeAnHTTPDate(fault: String) async throws {
        let clock = ManualWallClock(start: 1_796_114_478)
        try await testApplication(try testConfiguration(clock: clock)).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.fault: fault + "; retry_after_format=http-date"]
            )
            let header = try #require(r.headers[.retryAfter])
            #expect(header.hasSuffix(" GMT"), "\(header)")
            #expect(HTTPDate.parse(header).map { Int($0) } == 1_796_114_485)
            let journal = try await client.get("/__fakelab/journal")
            #expect(journal.json["data"]?.arrayValue?.last?["retry_after"]?.doubleValue == 7)
        }
    }

    @Test func aBadRetryAfterFormatIsRefused() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.postJSON(
                "/v1/images/generations",
                ["model": "gpt-image-2", "prompt": "cup"],
                headers: [Self.fault: "rate_limited; retry_after_format=minutes"]
            )
            #expect(r.status == 400 && r.error?["param"] == "X-Fakelab-Fault")
        }
    }

    @Test func httpDatesRoundTrip() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(RetryAfterFormat.seconds(from: "Sun, 06 Nov 1994 08:49:47 GMT", now: 784_111_777) == 10)
        #expect(RetryAfterFormat.seconds(from: "2", now: 0) == 2)
    }
}
