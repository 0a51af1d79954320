import FakelabAPI
import NIOCore
import Synchronization

/// Answers that depend on the catalog and the query alone (the model list, a model's detail,
/// the prices), serialized once and then shared: the catalog does not change while a server
/// runs, and every SDK reads `/v1/models` when it starts. Rendering the full list builds a
/// 23 KB JSON tree of thousands of small values, the most expensive answer of the common
/// routes; a cached one is a reference to the same buffer. Bounded by bytes (queries carry
/// free-form filters): past `capacity` the cache starts afresh.
final class CatalogAnswers: Sendable {
    private struct Store {
        var answers: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    private let store = Mutex(Store())
    let capacity: Int

    init(capacity: Int = 4 << 20) { self.capacity = capacity }

    /// The answer cached under `key`, else `render()` serialized (outside the lock: two
    /// first requests may both render; they render the same bytes).
    func answer(_ key: String, render: () -> JSONValue) -> ByteBuffer {
        if let cached = store.withLock({ $0.answers[key] }) { return cached }
        let buffer = ByteBuffer(bytes: render().serialized())
        store.withLock { s in
            if s.bytes + buffer.readableBytes > capacity { s = Store() }
            if s.answers.updateValue(buffer, forKey: key) == nil { s.bytes += buffer.readableBytes }
        }
        return buffer
    }
}
