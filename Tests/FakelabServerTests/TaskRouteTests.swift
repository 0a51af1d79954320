import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// Task-mode models answer with a task; its status moves with the injected clock (no sleeps).
@Suite struct TaskRouteTests {
    @Test func taskModelWalksPendingProcessingCompleted() async throws {
        let clock = ManualWallClock()
        try await testApplication(try testConfiguration(clock: clock)).test(.router) { client in
            let created = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "cup", "response_format": "b64_json"])
            #expect(created.status == 200)
            #expect(created.json["status"] == "pending")
            #expect(created.json["data"] == [])
            let id = try #require(created.json["task_id"]?.stringValue)
            #expect(created.json["id"]?.stringValue == id)
            #expect(id.hasPrefix("ldtask_") && id.count == 39)
            #expect(created.json["poll_url"]?.stringValue == "/v1/tasks/\(id)")
            #expect(created.headers[HTTPField.Name("X-Task-ID")!] == id)

            #expect(try await client.get("/v1/tasks/\(id)").json["status"] == "pending")
            clock.advance(by: 1.5)
            let processing = try await client.get("/v1/images/\(id)")
            #expect(processing.json["status"] == "processing")
            clock.advance(by: 2)
            let done = try await client.get("/v1/images/generations/\(id)")
            #expect(done.json["status"] == "completed")
            let item = try #require(done.json["data"]?.arrayValue?.first)
            #expect(item["url"] != nil && item["b64_json"] == nil, "async results are URL-only")
            #expect(done.json["billing_transaction_id"]?.stringValue != nil)
            #expect((done.json["updated"]?.intValue ?? 0) > (created.json["updated"]?.intValue ?? .max))
        }
    }

    @Test func asyncTrueMakesGptImage2ATaskAndIsIgnoredElsewhere() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let task = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "async": true])
            #expect(task.json["status"] == "pending")
            let inline = try await client.postJSON("/v1/images/generations", ["model": "nano-banana", "prompt": "x", "async": true])
            #expect(inline.json["data"]?.arrayValue?.count == 1)
        }
    }

    @Test func tasksBelongToTheirKey() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue ?? ""
            let other = try await client.get("/v1/tasks/\(id)", key: "sk-someone-else-entirely")
            #expect(other.status == 403)
            #expect(other.error?["code"] == "task_not_owned")
            let unknown = try await client.get("/v1/tasks/ldtask_" + String(repeating: "0", count: 32))
            #expect(unknown.status == 404)
            #expect(unknown.error?["code"] == "async_task_not_found")
            let malformed = try await client.get("/v1/tasks/task-123")
            #expect(malformed.status == 400)
            #expect(try await client.get("/v1/tasks/\(id)", key: nil).status == 401)
        }
    }
}
