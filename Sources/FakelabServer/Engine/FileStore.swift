import FakelabAPI
import Synchronization

/// Files uploaded through `POST /v1/files`, per key, for `file_id` references in edits.
/// Bounded in bytes; the oldest files go first.
final class FileStore: Sendable {
    struct File: Sendable {
        let id: String
        let owner: APIKey
        let bytes: [UInt8]
        let filename: String
        let purpose: String
        let model: String
        let created: Int

        var json: JSONValue {
            [
                "id": .string(id), "object": "file", "bytes": .int(bytes.count), "created_at": .int(created),
                "filename": .string(filename), "purpose": .string(purpose), "status": "processed",
            ]
        }
    }

    enum Lookup {
        case found(File)
        case notFound, notOwned
    }

    private struct State: Sendable {
        var files: [String: File] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let capacityBytes: Int

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    func add(_ file: File) {
        state.withLock { s in
            s.files[file.id] = file
            s.order.append(file.id)
            s.bytes += file.bytes.count
            while s.bytes > capacityBytes, let oldest = s.order.first {
                s.order.removeFirst()
                if let gone = s.files.removeValue(forKey: oldest) { s.bytes -= gone.bytes.count }
            }
        }
    }

    func file(_ id: String, for key: APIKey) -> Lookup {
        guard let file = state.withLock({ $0.files[id] }) else { return .notFound }
        return file.owner == key ? .found(file) : .notOwned
    }

    /// Removes the caller's file; false when it is unknown or another key's (both 404 to the caller).
    func delete(_ id: String, for key: APIKey) -> Bool {
        state.withLock { s in
            guard let file = s.files[id], file.owner == key else { return false }
            s.files[id] = nil
            s.bytes -= file.bytes.count
            s.order.removeAll { $0 == id }
            return true
        }
    }

    func list(for key: APIKey, purpose: String?) -> [File] {
        state.withLock { s in
            s.order.compactMap { s.files[$0] }.filter { $0.owner == key && (purpose == nil || $0.purpose == purpose) }
        }
    }

    func removeAll(ownedBy key: APIKey) {
        state.withLock { s in
            for (id, f) in s.files where f.owner == key {
                s.files[id] = nil
                s.bytes -= f.bytes.count
            }
            s.order.removeAll { s.files[$0] == nil }
        }
    }
}
