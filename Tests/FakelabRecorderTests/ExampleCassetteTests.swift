import FakelabAPI
import FakelabCassettes
import FakelabRecorder
import FakelabServer
import Foundation
import Testing

/// The cassettes in `cassettes/`: sound, replayable request by request, and in agreement with
/// the fake (they were recorded against it, so any drift is a regression in the fake).
@Suite struct ExampleCassetteTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cassettes")
    static let names = ["basics.cassette", "async-task.cassette", "edit-multipart.cassette"]

    /// A copy, so replay's SQLite side files stay out of the source tree.
    static func copy(_ name: String) throws -> String {
        let path = TempDir().file(name)
        try FileManager.default.copyItem(atPath: folder.appendingPathComponent(name).path, toPath: path)
        return path
    }

    @Test(arguments: names)
    func replaysEveryRecordedRequestWithTheRecordedAnswer(_ name: String) async throws {
        let path = try Self.copy(name)
        let store = try CassetteStore(path: path, readOnly: true)
        #expect(try store.verify().isEmpty)
        let entries = try store.entries()
        #expect(entries.count >= 4)
        var config = RecorderConfiguration(cassettePath: path, mode: .none)
        config.port = 0
        config.logLevel = .critical
        let replay = try await Recorder.start(config)
        let links = MediaLinks(upstreamOrigin: try store.meta("upstream"))
        for entry in entries {
            let x = entry.exchange
            let reply = try await HTTP.send(
                replay.baseURL + x.request.path + (x.request.query.map { "?" + $0 } ?? ""),
                method: x.request.method,
                body: x.request.body.isEmpty ? nil : x.request.body,
                contentType: x.request.contentType,
                key: nil
            )
            #expect(reply.status == x.response.status, "\(x.request.method) \(x.request.path)")
            #expect(
                reply.bytes == links.served(x.response.body, recorderBase: replay.baseURL),
                "\(x.request.method) \(x.request.path) #\(entry.ordinal)"
            )
        }
        await replay.stop()
    }

    @Test(arguments: names)
    func theFakeHasNotDriftedFromTheRecording(_ name: String) async throws {
        var config = try ServerConfiguration()
        config.port = 0
        config.logLevel = .critical
        config.taskPolicy = TaskPolicy(parsing: "instant")!  // as `fakelab cassette drift` does by default
        let fake = try await FakelabApp.start(config)
        let findings = try await Drift.check(try CassetteStore(path: try Self.copy(name), readOnly: true), against: fake.baseURL)
        await fake.stop()
        #expect(!findings.isEmpty)
        for f in findings { #expect(f.differences.isEmpty, "exchange \(f.exchangeID) \(f.request): \(f.differences)") }
    }
}
