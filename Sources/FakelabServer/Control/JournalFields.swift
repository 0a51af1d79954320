/// The variable parts of one journal record in one heap block of exactly their size: tagged
/// fields, each a tag byte, a LEB128 length and the bytes. A record is written when its request
/// arrives and again with the answer, and read only by the control API, so a read scans the
/// block, and the journal's thousands of entries pay one block each instead of one per string,
/// array and box (docs/performance.md, the memory row).
struct JournalFields: Sendable {
    enum Tag: UInt8 {
        case requestID = 1
        case headers, query, method, path
        case body, model, response, taskID, taskStatus, pollURL, fault
        case errorType, errorCode, errorParam, errorMessage, errorRetryable, retryAfter
        case result, resultURLs, packedResponse, pollPath
    }

    /// A set of tags (a bit each).
    struct Tags: OptionSet, Sendable {
        let rawValue: UInt32
        init(rawValue: UInt32) { self.rawValue = rawValue }
        init(_ tags: Tag...) { rawValue = tags.reduce(0) { $0 | 1 << UInt32($1.rawValue) } }
        func contains(_ tag: Tag) -> Bool { rawValue & 1 << UInt32(tag.rawValue) != 0 }
    }

    private var bytes: [UInt8] = []

    init() {}

    /// Builds a block: fields appended in any order, then copied into a block of their size.
    struct Writer {
        private var out: [UInt8] = []

        init(capacity: Int) { out.reserveCapacity(capacity) }

        /// Bytes a field of `length` bytes takes: tag, LEB128 length, value.
        static func size(_ length: Int) -> Int {
            var n = length
            var bytes = 2
            while n > 0x7f {
                bytes += 1
                n >>= 7
            }
            return bytes + length
        }

        mutating func append(_ tag: Tag, _ value: some Collection<UInt8>) {
            begin(tag, length: value.count)
            out.append(contentsOf: value)
        }

        /// Starts a field of `length` bytes; `write` then adds exactly that many.
        mutating func begin(_ tag: Tag, length: Int) {
            out.append(tag.rawValue)
            JournalFields.appendLEB128(length, to: &out)
        }

        mutating func write(_ bytes: some Collection<UInt8>) { out.append(contentsOf: bytes) }
        mutating func writeLEB128(_ value: Int) { JournalFields.appendLEB128(value, to: &out) }
        mutating func write(_ byte: UInt8) { out.append(byte) }

        mutating func append(_ tag: Tag, _ text: String?) {
            if let text { append(tag, text.utf8) }
        }

        mutating func append(_ tag: Tag, _ flag: Bool?) {
            if let flag { append(tag, CollectionOfOne(flag ? 1 : 0)) }
        }

        mutating func append(_ tag: Tag, _ number: Double?) {
            if let number { append(tag, withUnsafeBytes(of: number.bitPattern.littleEndian) { Array($0) }) }
        }

        /// The fields written. `exact`: in a block of their size (what a record keeps; copied
        /// unless the buffer already is); else as written (a part `replacing` copies from at once).
        func finish(exact: Bool = true) -> JournalFields {
            var fields = JournalFields()
            if exact, out.capacity - out.count > 16 {
                fields.bytes = [UInt8](unsafeUninitializedCapacity: out.count) { buffer, count in
                    count = buffer.initialize(fromContentsOf: out)
                }
            } else {
                fields.bytes = out
            }
            return fields
        }

        fileprivate mutating func append(raw: [UInt8]) { out += raw }
    }

    /// A non-negative integer in LEB128: 7 bits a byte, low first, the high bit set on all but the last.
    static func appendLEB128(_ value: Int, to out: inout [UInt8]) {
        var n = max(0, value)
        repeat {
            out.append(UInt8(n & 0x7f) | (n > 0x7f ? 0x80 : 0))
            n >>= 7
        } while n > 0
    }

    /// The bytes `appendLEB128(value)` writes.
    static func leb128Count(_ value: Int) -> Int {
        var n = max(0, value) >> 7
        var count = 1
        while n > 0 {
            count += 1
            n >>= 7
        }
        return count
    }

    /// Reads a LEB128 integer starting at `i`, leaving `i` after it.
    static func readLEB128(_ bytes: some Collection<UInt8>, at i: inout Int) -> Int {
        var value = 0
        var shift = 0
        for b in bytes.dropFirst(i) {
            i += 1
            value |= Int(b & 0x7f) << shift
            shift += 7
            if b & 0x80 == 0 || shift > 56 { break }
        }
        return value
    }

    /// Calls `body` with each field, in the order written.
    func forEach(_ body: (Tag, ArraySlice<UInt8>) -> Void) {
        var i = 0
        while i < bytes.count {
            let tag = bytes[i]
            i += 1
            let length = Self.readLEB128(bytes, at: &i)
            let end = min(bytes.count, i + length)
            if let tag = Tag(rawValue: tag) { body(tag, bytes[i..<end]) }
            i = end
        }
    }

    /// The field's bytes, if it was written.
    func bytes(_ tag: Tag) -> ArraySlice<UInt8>? {
        var found: ArraySlice<UInt8>?
        forEach { t, value in if t == tag { found = value } }
        return found
    }

    func string(_ tag: Tag) -> String? { bytes(tag).map { String(decoding: $0, as: UTF8.self) } }

    func flag(_ tag: Tag) -> Bool? { bytes(tag).flatMap(\.first).map { $0 != 0 } }

    func number(_ tag: Tag) -> Double? {
        guard let value = bytes(tag), value.count == 8 else { return nil }
        return Double(bitPattern: value.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// A new block of exactly its size: these fields, less every field in `replaced`, then `other`'s.
    func replacing(_ replaced: Tags, with other: JournalFields) -> JournalFields {
        var writer = Writer(capacity: bytes.count + other.bytes.count)
        forEach { tag, value in if !replaced.contains(tag) { writer.append(tag, value) } }
        writer.append(raw: other.bytes)
        return writer.finish()
    }
}
