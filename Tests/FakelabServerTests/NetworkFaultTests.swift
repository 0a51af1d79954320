import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import FakelabServer

/// Network faults need a real socket: what the client sees is a broken connection, not a status.
@Suite(.serialized) struct NetworkFaultTests {
    static let body = #"{"model":"gpt-image-2","prompt":"cup"}"#

    func withServer(_ body: (RunningServer, HTTPClient) async throws -> Void) async throws {
        var config = try ServerConfiguration()
        config.port = 0
        config.seed = 3
        let server = try await FakelabApp.start(config)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(10))))
        do {
            try await body(server, client)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    func create(_ server: RunningServer, fault: String) -> HTTPClientRequest {
        var r = HTTPClientRequest(url: server.baseURL + "/v1/images/generations")
        r.method = .POST
        r.headers.add(name: "Authorization", value: "Bearer sk-network-fault-001")
        r.headers.add(name: "Content-Type", value: "application/json")
        r.headers.add(name: "X-Fakelab-Fault", value: fault)
        r.body = .bytes(ByteBuffer(string: Self.body))
        return r
    }

    /// Reads the whole exchange; returns the body or the error the client got.
    func exchange(
        _ client: HTTPClient,
        _ request: HTTPClientRequest,
        timeout: TimeAmount = .seconds(15)
    ) async -> Result<(Int, ByteBuffer), any Error> {
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return .success((Int(response.status.code), body))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: ["reset", "empty_reply", "truncate"])
    func brokenConnectionsFailTheClient(fault: String) async throws {
        try await withServer { server, client in
            let result = await exchange(client, create(server, fault: fault))
            guard case .failure = result else {
                Issue.record("\(fault): the client got a complete response")
                return
            }
            // The server survives and answers the next request.
            var ok = create(server, fault: "delay; ms=1")
            ok.headers.remove(name: "X-Fakelab-Fault")
            guard case .success((200, _)) = await exchange(client, ok) else {
                Issue.record("server did not recover after \(fault)")
                return
            }
        }
    }

    @Test func hangLastsUntilTheClientGivesUp() async throws {
        try await withServer { server, client in
            let start = ContinuousClock.now
            let result = await exchange(client, create(server, fault: "hang; max_s=30"), timeout: .milliseconds(400))
            let waited = ContinuousClock.now - start
            guard case .failure = result else {
                Issue.record("hang answered")
                return
            }
            #expect(waited >= .milliseconds(350) && waited < .seconds(5))
            // The journal shows the request from its arrival, still in flight: a client that gave
            // up is graded on what it sent, not on what the server finished answering.
            var read = HTTPClientRequest(url: server.baseURL + "/__fakelab/journal")
            read.headers.add(name: "Authorization", value: "Bearer sk-network-fault-001")
            guard case .success((200, let body)) = await exchange(client, read) else {
                Issue.record("journal unreadable")
                return
            }
            let entries = try #require(try JSONValue.parse(Array(body.readableBytesView))["data"]?.arrayValue)
            let hung = try #require(entries.last)
            #expect(hung["path"] == "/v1/images/generations")
            #expect(hung["in_flight"] == true)
            #expect(hung["status"] == .null)
            #expect(hung["request_id"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func delayAndDribbleStillDeliverTheWholeBody() async throws {
        try await withServer { server, client in
            let start = ContinuousClock.now
            guard case .success((200, let delayed)) = await exchange(client, create(server, fault: "delay; ms=300")) else {
                Issue.record("delay failed: \(await exchange(client, create(server, fault: "delay; ms=300")))")
                return
            }
            #expect(ContinuousClock.now - start >= .milliseconds(290))
            #expect((try? JSONValue.parse(Array(buffer: delayed)))?["data"] != nil)
            let dribbleStart = ContinuousClock.now
            guard case .success((200, let dribbled)) = await exchange(client, create(server, fault: "dribble; bytes=64; interval_ms=20")) else {
                Issue.record("dribble failed")
                return
            }
            #expect(ContinuousClock.now - dribbleStart >= .milliseconds(40))
            #expect((try? JSONValue.parse(Array(buffer: dribbled)))?["data"] != nil)
        }
    }

    @Test func seededDelaysRepeat() {
        let fault = try! FaultSpec(parsing: "delay; median_ms=200; sigma=0.8")
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        let first = (0..<5).map { _ in NetworkFaults.delay(fault, rng: &a) }
        let second = (0..<5).map { _ in NetworkFaults.delay(fault, rng: &b) }
        #expect(first == second)
        #expect(Set(first).count == 5)
    }
}

@Suite struct StartupFaultsAndControlTokenTests {
    @Test func theExampleFaultsFileLoadsAndArmsEveryKey() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/faults.json").standardized
        let rules = try FaultRule.load(contentsOf: url)
        #expect(rules.count == 3)
        var config = try ServerConfiguration()
        config.startupFaults = rules
        config.port = 0
        let server = try await FakelabApp.start(config)
        defer { Task { await server.stop() } }
        var statuses: [Int] = []
        for key in ["sk-startup-key-0001", "sk-startup-key-0001", "sk-startup-key-0002"] {
            var r = HTTPClientRequest(url: server.baseURL + "/v1/images/generations")
            r.method = .POST
            r.headers.add(name: "Authorization", value: "Bearer \(key)")
            r.headers.add(name: "Content-Type", value: "application/json")
            r.body = .bytes(ByteBuffer(string: NetworkFaultTests.body))
            statuses.append(Int(try await HTTPClient.shared.execute(r, timeout: .seconds(5)).status.code))
        }
        #expect(statuses == [429, 200, 429], "each key starts with its own copy of the startup rules")
    }

    @Test func brokenFaultFilesSayWhatIsWrong() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-faults-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("f.json")
        try Data(#"{"rules":[{"fault":"rate_limited; retry_after=soon"}]}"#.utf8).write(to: file)
        #expect { try FaultRule.load(contentsOf: file) } throws: { "\($0)".contains("rules[0]") && "\($0)".contains("retry_after") }
    }

    @Test func controlTokenGatesTheControlAPI() async throws {
        var config = try ServerConfiguration()
        config.port = 0
        config.controlToken = "let-me-in"
        let server = try await FakelabApp.start(config)
        defer { Task { await server.stop() } }
        func reset(token: String?) async throws -> Int {
            var r = HTTPClientRequest(url: server.baseURL + "/__fakelab/reset")
            r.method = .POST
            r.headers.add(name: "Authorization", value: "Bearer sk-control-test-0001")
            if let token { r.headers.add(name: "X-Fakelab-Control-Token", value: token) }
            return Int(try await HTTPClient.shared.execute(r, timeout: .seconds(5)).status.code)
        }
        #expect(try await reset(token: nil) == 403)
        #expect(try await reset(token: "wrong") == 403)
        #expect(try await reset(token: "let-me-in") == 200)
    }
}
