import FakelabAPI
import Synchronization

/// What a handler learned about its request (model, task, body summary, staged fault), read by
/// the middleware when it writes the journal entry.
final class ExchangeNotes: Sendable {
    struct Values {
        var model: String?
        var taskID: String?
        var taskStatus: String?
        var body: JournalBody?
        var fault: FaultSpec?
    }

    private let values = Mutex(Values())

    func update(_ body: (inout Values) -> Void) { values.withLock { body(&$0) } }
    var snapshot: Values { values.withLock { $0 } }
}
