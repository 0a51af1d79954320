import Foundation

extension JSONValue {
    /// Parses a JSON document strictly (RFC 8259; no trailing commas, depth ≤ 128).
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in try JSONParser.parse(buffer) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONValue {
        try JSONParser.parse(buffer)
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Compact JSON with sorted keys: the same value always gives the same bytes.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    public func serializedString() -> String { String(decoding: serialized(), as: UTF8.self) }

    /// Indented (two spaces), keys sorted: for people and for line-based diffs.
    public func prettyString() -> String {
        var out: [UInt8] = []
        writePretty(into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    func writePretty(into out: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        }
        switch self {
        case .array(let a) where !a.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                v.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let o) where !o.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                Self.writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                o[key]!.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            write(into: &out)
        }
    }

    public func write(into out: inout [UInt8]) { write(to: &out) }

    /// The bytes `serialized()` gives, fed to `hash` (as `hash.combine(serialized())` would,
    /// without making them: the image seed folds every request's fields in).
    public func combine(into hash: inout StableHash) {
        var sink = StableHash.Sink(hash)
        write(to: &sink)
        hash = sink.finish()
    }

    /// One writer for every sink: specialized for each in this module.
    func write<Sink: JSONByteSink>(to out: inout Sink) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.appendDecimal(i)
        case .double(let d):
            if d.isFinite {
                out.append(contentsOf: d.compactText.utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            // The members' places sorted by key, in scratch space (on the stack when small: no
            // array of pairs per object), and each member read at its place, never looked up.
            withUnsafeTemporaryAllocation(of: [String: JSONValue].Index.self, capacity: o.count) { scratch in
                var order = scratch
                _ = order.initialize(from: o.indices)
                order.sort { o[$0].key < o[$1].key }
                for (i, place) in order.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    Self.writeString(o[place].key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    o[place].value.write(to: &out)
                }
                order.deinitialize()
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString<Sink: JSONByteSink>(_ s: String, into out: inout Sink) {
        out.append(UInt8(ascii: "\""))
        var s = s
        let plain = s.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            out.append(contentsOf: utf8)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48])
                Hex.forEachDigit(of: UInt64(byte), digits: 2) { out.append($0) }
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Where `JSONValue`'s writer puts bytes: an array, or a hash that takes them as they come.
protocol JSONByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
    mutating func append(contentsOf text: String.UTF8View)
    mutating func append(contentsOf bytes: [UInt8])
    mutating func appendDecimal(_ value: Int)
}

extension Array: JSONByteSink where Element == UInt8 {}

extension StableHash {
    /// Bytes folded in as they are written; `finish` ends the field (as `combine(_:)` does).
    struct Sink: JSONByteSink {
        private var hash: StableHash
        private var h: UInt64

        init(_ hash: StableHash) { (self.hash, h) = (hash, hash.state) }

        mutating func append(_ byte: UInt8) {
            h ^= UInt64(byte)
            h = h &* StableHash.prime
        }

        mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) { for b in bytes { append(b) } }
        mutating func append(contentsOf text: String.UTF8View) { for b in text { append(b) } }
        mutating func append(contentsOf bytes: [UInt8]) { for b in bytes { append(b) } }

        mutating func appendDecimal(_ value: Int) { DecimalDigits.forEachCharacter(of: value) { append($0) } }

        func finish() -> StableHash {
            var hash = hash
            hash.end(at: h)
            return hash
        }
    }
}
