import FakelabAPI
import FakelabCassettes
import FakelabServer
import Foundation
import Synchronization
import Testing

/// `kill -9` of a recording `fakelab record` process while 16 clients record through it: the
/// cassette opens, passes SQLite's integrity check, and holds every exchange whose response fully
/// reached its client. (scripts/crash-check runs the same 20 times; this runs it 3 times.)
@Suite struct CrashSafetyTests {
    /// The `fakelab` binary `swift build` put next to this test bundle.
    static var binary: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir.appendingPathComponent("fakelab").path, dir.deletingLastPathComponent().appendingPathComponent("fakelab").path]
        return ProcessInfo.processInfo.environment["FAKELAB_BIN"] ?? candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? candidates[0]
    }

    @Test(arguments: [0, 300, 900])
    func killNineMidRecordingLosesOnlyWhatWasInFlight(afterMilliseconds delay: Int) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build): \(Self.binary)")
        var config = try ServerConfiguration()
        config.port = 0
        config.rateLimitPerMinute = 0
        config.logLevel = .critical
        let upstream = try await FakelabApp.start(config)
        let cassette = TempDir().file("crash.cassette")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "record", "--upstream", upstream.baseURL, "--cassette", cassette, "--mode", "all", "--port", "0", "--log-level", "critical",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(
            line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
            "port from: \(line)"
        )
        let base = "http://127.0.0.1:\(port)"

        // 16 clients, each sending distinct prompts until the recorder dies; each notes what fully arrived.
        // The kill comes `delay` ms after the first answers (a loaded machine may be slow to start).
        let answered = Counter()
        let received = await withTaskGroup(of: [String].self) { group in
            for client in 0..<16 {
                group.addTask {
                    var done: [String] = []
                    for i in 0..<10_000 {
                        let prompt = "crash \(delay) client \(client) request \(i)"
                        let body =
                            client % 2 == 0
                            ? #"{"model":"gpt-image-2","prompt":"\#(prompt)","size":"1024x1024"}"#
                            : #"{"model":"nano-banana","prompt":"\#(prompt)","response_format":"url"}"#
                        // AsyncHTTPClient retries refused connections until the deadline, so keep it short.
                        guard
                            (try? await HTTP.send(
                                base + "/v1/images/generations",
                                method: "POST",
                                body: Array(body.utf8),
                                contentType: "application/json",
                                key: "sk-crash-test-key-00000000001",
                                timeout: 4
                            )) != nil
                        else { break }
                        done.append(prompt)
                        answered.value.withLock { $0 += 1 }
                    }
                    return done
                }
            }
            group.addTask {
                for _ in 0..<300 where answered.value.withLock({ $0 }) < 2 { try? await Task.sleep(for: .milliseconds(50)) }
                try? await Task.sleep(for: .milliseconds(delay))
                kill(process.processIdentifier, SIGKILL)
                return []
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        process.waitUntilExit()
        await upstream.stop()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try CassetteStore(path: cassette, readOnly: true)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.verify().isEmpty)
        let stored = Set(
            try store.entries().compactMap { e -> String? in
                (try? JSONValue.parse(e.exchange.request.body))?["prompt"]?.stringValue
            }
        )
        let lost = received.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(received.count) fully answered exchanges are missing, e.g. \(lost.prefix(3))")
        #expect(!received.isEmpty, "some exchanges completed before the kill")
    }
}

final class Counter: Sendable {
    let value = Mutex(0)
}
