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

    private static func shorten(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s) where s.utf8.count > 128: .string(String(s.prefix(64)) + "… (\(s.utf8.count) bytes)")
        case .object(let o): .object(o.mapValues(shorten))
        case .array(let a): .array(a.prefix(16).map(shorten))
        default: value
        }
    }
}

/// The journal's form of a kept answer: each `"KEY":` of a key the fake's answers use, as one
/// byte under 0x20 (a byte raw JSON never has). A pure byte substitution, so `unpack(pack(x))`
/// is `x` for any JSON, valid or not; an answer that does have such a byte is kept as it is.
/// Keys are most of a small answer: a task's body shrinks by ~70 of its ~330 bytes.
enum JournalResponseKeys {
    private static let keys: [[UInt8]] = [
        "id", "object", "created", "updated", "model", "status", "data", "url", "b64_json", "task_id", "poll_url", "progress",
        "billing_transaction_id", "error", "error_details", "type", "code", "param", "message", "retryable", "retry_after",
        "revised_prompt", "usage", "owned_by", "size", "quality", "output_format", "background", "details",
    ].map { Array("\"\($0)\":".utf8) }

    /// Codes 1 up to here are keys; the two above stand for the task id.
    static var keyCodes: Int { keys.count }

    /// The keys by their length in bytes (quotes and colon included), with their codes.
    private static let keysByLength: [[(code: UInt8, key: [UInt8])]] = {
        var table = [[(code: UInt8, key: [UInt8])]](repeating: [], count: (keys.map(\.count).max() ?? 0) + 1)
        for (i, key) in keys.enumerated() { table[key.count].append((UInt8(i + 1), key)) }
        return table
    }()

    /// Stands for the entry's own task id, which a task's body carries three times (0x1E: the
    /// id without its opening quote, as it ends a poll URL).
    static let taskIDCode: UInt8 = 0x1F

    /// `bytes` packed, handed to `body` in scratch space (on the stack for an answer of the
    /// usual size) instead of an array of their own: the journal copies them into the record's
    /// block at once. `body` gets nil when `bytes` has a byte under 0x20 (then the answer is
    /// kept unpacked). `taskID`: the entry's task, whose id is packed too. Runs on every
    /// journaled answer: one pass over raw buffers (never longer than its input: a code
    /// replaces ≥ 2 bytes).
    static func withPacked<T>(_ bytes: [UInt8], taskID: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        // The id quoted, as the answer spells it (scratch too: an id is ~40 bytes).
        let idCount = taskID.map { $0.utf8.count + 2 } ?? 0
        let table = keysByLength
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: idCount + bytes.count) { scratch in
            let idSpace = UnsafeMutableBufferPointer(rebasing: scratch[..<idCount])
            if var taskID {
                idSpace[0] = UInt8(ascii: "\"")
                taskID.withUTF8 { _ = UnsafeMutableBufferPointer(rebasing: idSpace[1...]).initialize(fromContentsOf: $0) }
                idSpace[idCount - 1] = UInt8(ascii: "\"")
            }
            let output = UnsafeMutableBufferPointer(rebasing: scratch[idCount...])
            let (written, clean) = bytes.withUnsafeBufferPointer { input in
                pack(input, id: UnsafeBufferPointer(idSpace), table: table, into: output)
            }
            return body(clean ? UnsafeBufferPointer(rebasing: output[..<written]) : nil)
        }
    }

    private static func pack(
        _ input: UnsafeBufferPointer<UInt8>,
        id: UnsafeBufferPointer<UInt8>,
        table: [[(code: UInt8, key: [UInt8])]],
        into output: UnsafeMutableBufferPointer<UInt8>
    ) -> (written: Int, clean: Bool) {
        let quote = UInt8(ascii: "\"")
        let colon = UInt8(ascii: ":")
        let n = input.count
        var i = 0
        var o = 0
        outer: while i < n {
            let b = input[i]
            if b < 0x20 { return (o, false) }
            if b == quote {
                // A key is `"name":` with no quote inside: its length is the next quote's place.
                var end = i + 1
                while end < n, end - i < table.count, input[end] != quote { end += 1 }
                let length = end - i + 2
                if length < table.count, end + 1 < n, input[end] == quote, input[end + 1] == colon {
                    let candidate = UnsafeBufferPointer(rebasing: input[i..<(i + length)])
                    for (code, key) in table[length] where candidate.elementsEqual(key) {
                        output[o] = code
                        o += 1
                        i += length
                        continue outer
                    }
                }
            }
            // The id, quoted, or at the end of a quoted poll URL.
            if id.count > 1, b == id[0] || b == id[1] {
                let tail = b == id[0] ? id[...] : id[1...]
                if n - i >= tail.count, UnsafeBufferPointer(rebasing: input[i..<(i + tail.count)]).elementsEqual(tail) {
                    output[o] = b == id[0] ? taskIDCode : taskIDCode - 1
                    o += 1
                    i += tail.count
                    continue
                }
            }
            output[o] = b
            o += 1
            i += 1
        }
        return (o, true)
    }

    static func unpack(_ packed: some Collection<UInt8>, taskID: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(packed.count * 3 / 2)
        let id = Array("\"\(taskID ?? "")\"".utf8)
        for b in packed {
            switch b {
            case taskIDCode: out += id
            case taskIDCode - 1: out += id.dropFirst()
            case 1...UInt8(keys.count): out += keys[Int(b) - 1]
            default: out.append(b)
            }
        }
        return out
    }
}
