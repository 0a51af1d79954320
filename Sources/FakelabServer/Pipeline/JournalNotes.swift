import FakelabAPI
import Synchronization

/// What the controllers learned about a request (model, task, body summary, the fault applied),
/// read by `JournalMiddleware` when it completes the entry. Flows one way: inward code writes,
/// the journal reads.
final class JournalNotes: Sendable {
    struct Values {
        var model: String?
        var taskID: String?
        var taskStatus: String?
        var body: JournalBody?
        var fault: FaultSpec?
        var pollURL: String?
        var error: JournalEntry.ErrorInfo?
        /// `error.retry_after` of an error answer (seconds).
        var errorRetryAfter: Double?
        var result: JournalEntry.Result?
        /// The result's URLs are the `data[].url` of `response`, kept whole: the journal keeps
        /// them once, in the answer.
        var resultURLsInResponse = false
        /// The answer's JSON for the inspector, bounded by `JournalResponse.keep`.
        var response: [UInt8]?
    }

    private let values = Mutex(Values())

    func update(_ body: (inout Values) -> Void) { values.withLock { body(&$0) } }
    /// The notes, moved out (no copy of what they hold): the journal reads them once, when the
    /// answer is complete, and nothing notes anything after that.
    func take() -> Values {
        values.withLock { current in
            var taken = Values()
            swap(&taken, &current)
            return taken
        }
    }
}
