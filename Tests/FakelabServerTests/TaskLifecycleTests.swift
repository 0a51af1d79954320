import FakelabAPI
import FakelabServer
import FakelabTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every status path of every policy, driven by reads or by the key's clock; never a sleep.
@Suite struct TaskLifecycleTests {
    struct Walk: Sendable, CustomTestStringConvertible {
        let policy: String
        /// Seconds to advance before each read.
        let steps: [Double]
        let statuses: [String]
        var testDescription: String { policy }
    }

    static let walks: [Walk] = [
        .init(policy: "instant", steps: [0], statuses: ["completed"]),
        .init(policy: "polls:1,2", steps: [0, 0, 0, 0, 0], statuses: ["pending", "processing", "processing", "completed", "completed"]),
        .init(policy: "polls:0,1", steps: [0, 0], statuses: ["processing", "completed"]),
        .init(policy: "duration:120,60", steps: [0, 119, 2, 58, 1], statuses: ["pending", "pending", "processing", "processing", "completed"]),
        .init(policy: "instant+fail:timeout", steps: [0], statuses: ["failed"]),
        .init(policy: "polls:2,0+fail:content_policy", steps: [0, 0, 0], statuses: ["pending", "pending", "failed"]),
        .init(policy: "polls:1,1+fail:upstream", steps: [0, 0, 0], statuses: ["pending", "processing", "failed"]),
        .init(policy: "duration:5,5+fail:upstream", steps: [1, 5, 5], statuses: ["pending", "processing", "failed"]),
    ]

    @Test(arguments: walks)
    func walksEveryStatusPath(walk: Walk) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let put = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: ByteBuffer(bytes: JSONValue.object(["policy": .string(walk.policy)]).serialized())
            )
            #expect(put.status == 200)
            let created = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "async": true, "n": 2])
            #expect(created.json["status"] == "pending")
            let id = try #require(created.json["id"]?.stringValue)
            var seen: [String] = []
            var last: JSONValue = .null
            for step in walk.steps {
                if step > 0 { _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": .double(step)]) }
                last = try await client.get("/v1/tasks/\(id)").json
                seen.append(last["status"]?.stringValue ?? "?")
            }
            #expect(seen == walk.statuses)
            switch walk.statuses.last {
            case "completed":
                #expect(last["data"]?.arrayValue?.count == 2)
                #expect(last["billing_transaction_id"]?.stringValue?.count == 25)
                #expect(last["error"] == nil)
            case "failed":
                #expect(last["data"] == [])
                #expect(last["error"]?.stringValue?.isEmpty == false)
                #expect(last["billing_transaction_id"] == nil)
            default: break
            }
        }
    }

    @Test func catalogPolicyAppliesPerModelAndKeyPolicyWins() async throws {
        var file = try Catalog.builtIn().file
        let i = try #require(file.models.firstIndex { $0.id == "flux-pro" })
        file.models[i].taskPolicy = "polls:0,0"
        let config = try ServerConfiguration(catalog: try Catalog(file: file))
        try await testApplication(config).test(.router) { client in
            let id = try #require(try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue)
            #expect(try await client.get("/v1/tasks/\(id)").json["status"] == "completed")
            _ = try await client.send(
                "/__fakelab/task-policy",
                method: .put,
                headers: [.authorization: "Bearer \(testKey)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"policy":"polls:5,0","model":"flux-pro"}"#)
            )
            let id2 = try #require(try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue)
            #expect(try await client.get("/v1/tasks/\(id2)").json["status"] == "pending")
        }
    }

    @Test func tasksExpireAfterRetention() async throws {
        var config = try testConfiguration()
        config.taskRetention = 600
        try await testApplication(config).test(.router) { client in
            let id = try #require(try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue)
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 599])
            #expect(try await client.get("/v1/images/\(id)").status == 200)
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 2])
            let gone = try await client.get("/v1/images/\(id)")
            #expect(gone.status == 404)
            #expect(gone.error?["code"] == "async_task_not_found")
        }
    }

    @Test func cancelAnswersAsTokenLabDoesForImageTasks() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let id = try #require(try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue)
            let pending = try await client.send("/v1/tasks/\(id)", method: .delete, headers: [.authorization: "Bearer \(testKey)"], body: nil)
            #expect(pending.status == 400)
            #expect(pending.error?["code"] == "unsupported_task_cancel")
            _ = try await client.postJSON("/__fakelab/clock/advance", ["seconds": 10])
            let done = try await client.send("/v1/tasks/\(id)", method: .delete, headers: [.authorization: "Bearer \(testKey)"], body: nil)
            #expect(done.status == 409)
            #expect(done.error?["code"] == "task_not_cancellable")
            let foreign = try await client.send(
                "/v1/tasks/\(id)",
                method: .delete,
                headers: [.authorization: "Bearer sk-not-the-owner-01"],
                body: nil
            )
            #expect(foreign.status == 403)
        }
    }

    @Test func aFloodOfCreatesStaysBoundedAndSparesOtherKeys() async throws {
        var config = try testConfiguration()
        config.maxTasks = 300
        config.maxTasksPerKey = 200
        config.rateLimitPerMinute = 0
        try await testApplication(config).test(.router) { client in
            let bystander = "sk-bystander-key-0001"
            let kept = try #require(
                try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"], key: bystander).json["id"]?.stringValue
            )
            var first: String?
            for n in 0..<1000 {
                let id = try await client.postJSON("/v1/images/generations", ["model": "flux-pro", "prompt": "x"]).json["id"]?.stringValue
                if n == 0 { first = id }
            }
            #expect(try await client.get("/v1/tasks/\(try #require(first))").status == 404, "the flooding key's oldest task was evicted")
            #expect(try await client.get("/v1/tasks/\(kept)", key: bystander).status == 200, "another key's task survives the flood")
            let journal = try await client.get("/__fakelab/journal?limit=1").json["data"]?.arrayValue?.first
            #expect(journal?["seq"] == 1001)
        }
    }

    @Test func thousandTasksSixtyFourClientsNothingLostOrDuplicated() async throws {
        var config = try testConfiguration()
        config.taskPolicy = TaskPolicy(.polls(pending: 1, processing: 1))
        config.rateLimitPerMinute = 0
        try await testApplication(config).test(.router) { client in
            let results = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        var done: [(String, String)] = []
                        let key = "sk-worker-\(String(format: "%04d", worker))"
                        for n in stride(from: worker, to: 1000, by: 64) {
                            let fail = n % 10 == 0
                            let headers: HTTPFields = fail ? [HTTPField.Name("X-Fakelab-Fault")!: "task_failed; reason=upstream"] : [:]
                            let created = try await client.postJSON(
                                "/v1/images/generations",
                                ["model": "flux-pro", "prompt": .string("task \(n)")],
                                key: key,
                                headers: headers
                            )
                            let id = try #require(created.json["id"]?.stringValue)
                            var status = "pending"
                            while status == "pending" || status == "processing" {
                                status = try await client.get("/v1/tasks/\(id)", key: key).json["status"]?.stringValue ?? "?"
                            }
                            #expect(status == (fail ? "failed" : "completed"), "task \(n)")
                            done.append((id, status))
                        }
                        return done
                    }
                }
                var all: [(String, String)] = []
                for try await part in group { all += part }
                return all
            }
            #expect(results.count == 1000)
            #expect(Set(results.map(\.0)).count == 1000, "no duplicated task ids")
            #expect(results.filter { $0.1 == "failed" }.count == 100)
        }
    }
}
