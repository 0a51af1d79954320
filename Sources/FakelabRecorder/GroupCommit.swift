import Dispatch
import FakelabCassettes
import Synchronization

/// Writes exchanges to the cassette in groups. Every request still waits until its own exchange
/// is committed (an answer a client fully received is on disk), but the exchanges that arrive
/// while one transaction is being written go into the next one together: with 64 clients one
/// transaction and one checkpoint carry dozens of exchanges instead of one each. (Recording
/// through one transaction per exchange topped out at ~1,300 req/s with a 50 ms p50 under
/// `wrk -c64`; Benchmarks/run has the figure now.)
///
/// The writer runs on its own serial queue, so SQLite's blocking calls never hold a thread of
/// Swift's cooperative pool.
final class GroupCommitter: Sendable {
    typealias Outcome = Result<Int, CassetteError>
    private struct Pending: Sendable {
        var waiting: [(Exchange, CheckedContinuation<Outcome, Never>)] = []
        var writing = false
    }

    private let pending = Mutex(Pending())
    private let store: CassetteStore
    private let queue = DispatchQueue(label: "fakelab.cassette-writer")

    init(store: CassetteStore) { self.store = store }

    /// The exchange's ordinal once committed, or why it was refused (a secret the audit found,
    /// a failed write).
    func commit(_ exchange: Exchange) async -> Outcome {
        await withCheckedContinuation { continuation in
            let start = pending.withLock { p in
                p.waiting.append((exchange, continuation))
                defer { p.writing = true }
                return !p.writing
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = pending.withLock { p in
                let batch = p.waiting
                p.waiting = []
                if batch.isEmpty { p.writing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            // One exchange that fails the audit must not sink the others in its transaction.
            var accepted: [(Exchange, CheckedContinuation<Outcome, Never>)] = []
            for (exchange, continuation) in batch {
                let leaks = store.audit(exchange)
                if leaks.isEmpty {
                    accepted.append((exchange, continuation))
                } else {
                    continuation.resume(returning: .failure(.secret(leaks.joined(separator: ", "))))
                }
            }
            guard !accepted.isEmpty else { continue }
            do {
                let ordinals = try store.append(contentsOf: accepted.map(\.0))
                for (i, (_, continuation)) in accepted.enumerated() { continuation.resume(returning: .success(ordinals[i])) }
            } catch {
                for (_, continuation) in accepted { continuation.resume(returning: .failure(error)) }
            }
        }
    }
}
