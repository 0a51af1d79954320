import FakelabAPI

/// What the journal keeps of an answer's body for the inspector: the JSON, with base64 images
/// and other long strings shortened, and at most `limit` bytes (larger answers are cut to a note).
enum JournalResponse {
    static let limit = 2048

    static func keep(_ value: JSONValue) -> [UInt8] {
        let bytes = shorten(value).serialized()
        guard bytes.count > limit else { return bytes }
        return JSONValue.object(["…": .string("answer of \(bytes.count) bytes, not kept")]).serialized()
    }

    static func keep(bytes: [UInt8]) -> [UInt8]? {
        bytes.count <= limit ? bytes : (try? JSONValue.parse(bytes)).map(keep)
    }

    /// `bytes` in a buffer of exactly their size: a serialized answer has room to spare, and the
    /// journal keeps thousands of them.
    static func exact(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.capacity > bytes.count else { return bytes }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    private static func shorten(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count > 128: .string(String(s.prefix(64)) + "… (\(s.utf8.count) bytes)")
        case .object(let o): .object(o.mapValues(shorten))
        case .array(let a): .array(a.prefix(16).map(shorten))
        default: value
        }
    }
}
