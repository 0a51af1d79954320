import FakelabAPI
import Testing

@testable import FakelabServer

/// The task store's queues keep the ids of live tasks, not the history of every task.
@Suite struct TaskQueueTests {
    @Test(arguments: [10, 100, 1000])
    func popsReleaseTheirIDs(live: Int) {
        var queue = TaskStore.Queue()
        var ids: [TaskID] = []
        for i in 0..<5000 {
            let id = TaskID(high: UInt64(i), low: 1)
            ids.append(id)
            queue.append(id)
            if i >= live { queue.pop() }
        }
        #expect(Array(queue.live) == Array(ids.suffix(queue.live.count)))
        #expect(queue.live.count == live)
        #expect(queue.oldest == ids[5000 - live])
        // Before: ~1,000 popped ids kept per queue whatever `live` was.
        #expect(queue.ids.capacity <= 4 * live + 64)
    }
}

/// The store's records sit side by side in one array: removals move the last record into the
/// gap, and every lookup still finds the right one.
@Suite struct TaskStoreSlotTests {
    static func record(_ n: Int, owner: APIKey) -> TaskStore.Record {
        TaskStore.Record(
            id: TaskID(high: UInt64(n), low: 7),
            owner: owner,
            model: "flux-pro",
            created: Double(n),
            updated: Double(n),
            policy: TaskPolicy(.instant),
            pollPath: .tasks,
            resultBase: "http://h/fakelab/images/",
            results: .init([]),
            billing: BillingID(value: UInt64(n))
        )
    }

    @Test func evictionsAndResetsKeepEveryLookupRight() {
        let store = TaskStore(retention: 1e9, maxTasks: 100, maxTasksPerKey: 50)
        let keys = (0..<3).map { APIKey(verified: "sk-slot-test-000\($0)") }
        for n in 0..<300 { _ = store.create(Self.record(n, owner: keys[n % 3])) }
        func found(_ n: Int, _ key: APIKey) -> Bool {
            if case .found = store.peek(id: TaskID(high: UInt64(n), low: 7).description, by: key, now: 300) { return true }
            return false
        }
        // The newest 100 are kept, each under its own key; the rest are gone.
        for n in 0..<300 { #expect(found(n, keys[n % 3]) == (n >= 200), "task \(n)") }
        store.removeAll(ownedBy: keys[1])
        for n in 200..<300 { #expect(found(n, keys[n % 3]) == (n % 3 != 1), "task \(n) after the reset") }
        #expect(store.count(ownedBy: keys[0]) == 33)
        #expect(store.count(ownedBy: keys[1]) == 0)
    }
}
