import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import FakelabServer

/// `IdleHeapTrim` trims once per burst of requests, only after a quiet spell, and stops with
/// the server.
@Suite struct IdleHeapTrimTests {
    @Test func trimsOncePerBurstAfterAQuietSpell() async throws {
        let ids = IDGenerator(seed: 1)
        let trims = Atomic<Int>(0)
        let service = IdleHeapTrim(activity: ids, quiet: .milliseconds(20), trim: { trims.add(1, ordering: .relaxed) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Quiet from the start: nothing to give back.
            try await Task.sleep(for: .milliseconds(120))
            #expect(trims.load(ordering: .relaxed) == 0)
            // One request, then quiet: one trim, and no more while it stays quiet. (Waits have a
            // deadline, not a length: under the full suite the pool may run the service late.)
            _ = ids.requestID(now: 0)
            try await Self.wait { trims.load(ordering: .relaxed) >= 1 }
            try await Task.sleep(for: .milliseconds(100))
            #expect(trims.load(ordering: .relaxed) == 1)
            // A burst (ids moving faster than the quiet spell), then quiet: trimmed again, once.
            for _ in 0..<20 {
                _ = ids.requestID(now: 0)
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Self.wait { trims.load(ordering: .relaxed) >= 2 }
            let afterBurst = trims.load(ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(100))
            #expect(trims.load(ordering: .relaxed) == afterBurst)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Polls `condition` every 10 ms for up to 10 s; records an issue if it never holds.
    static func wait(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
