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

    /// What `body` makes of the notes, read in place: the journal completes an entry from them
    /// this way (taken out first, they were copied once more on the way: a retain of each).
    func read<T>(_ body: (inout Values) -> T) -> T { values.withLock { body(&$0) } }
}
