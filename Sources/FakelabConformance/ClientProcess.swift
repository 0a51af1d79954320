import Foundation
import Synchronization

/// Runs the client command in its own process group (so a timeout stops the whole process tree),
/// output captured to files, with a deadline.
struct ClientProcess {
    struct Outcome {
        var exitCode: Int32?
        var timedOut: Bool
        var seconds: Double
        var stdout: String
        var stderr: String
    }

    static func run(_ command: String, environment: [String: String], directory: URL, timeout: Double) async throws -> Outcome {
        // Foundation starts the child as a process group leader, so `kill(-pid)` reaches every
        // process the command starts.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = directory.appendingPathComponent("stdout.txt")
        let err = directory.appendingPathComponent("stderr.txt")
        // Empty files to write into; a failure shows as FileHandle's error just below.
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let start = ContinuousClock.now
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in
            exited.continuation.yield()
            exited.continuation.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        let fired = Flag()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in exited.stream {} }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                if Task.isCancelled { return }
                fired.set()
                kill(-pid, SIGTERM)
                try? await Task.sleep(for: .seconds(2))
                kill(-pid, SIGKILL)
            }
            await group.next()
            group.cancelAll()
        }
        let timedOut = fired.isSet
        process.waitUntilExit()
        let d = ContinuousClock.now - start
        let read = { (url: URL) in String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self) }
        return Outcome(
            exitCode: process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus,
            timedOut: timedOut,
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18,
            stdout: read(out),
            stderr: read(err)
        )
    }
}

final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
