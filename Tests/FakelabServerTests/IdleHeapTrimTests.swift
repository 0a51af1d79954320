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
            // Busy: ids move faster than the quiet spell, so no trim while they do.
            for _ in 0..<20 {
                _ = ids.requestID(now: 0)
                try await Task.sleep(for: .milliseconds(5))
            }
            let whileBusy = trims.load(ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(150))
            #expect(trims.load(ordering: .relaxed) == whileBusy + 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
