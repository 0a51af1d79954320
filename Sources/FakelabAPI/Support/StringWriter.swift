/// Writes ASCII text straight into a new string's storage: one allocation for an id or a URL
/// built from parts (a `[UInt8]` built first and then decoded is two). `capacity` is an upper
/// bound of what `body` writes; the string is as long as what it wrote.
public struct StringWriter: ~Copyable {
    private let out: UnsafeMutableBufferPointer<UInt8>
    public private(set) var count = 0

    private init(_ out: UnsafeMutableBufferPointer<UInt8>) { self.out = out }

    public static func string(capacity: Int, _ body: (inout StringWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = StringWriter(buffer)
            body(&writer)
            return writer.count
        }
    }

    public mutating func write(_ byte: UInt8) {
        precondition(count < out.count, "StringWriter: past its capacity")
        out[count] = byte
        count += 1
    }

    public mutating func write(_ text: StaticString) { text.withUTF8Buffer { write($0) } }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(count + bytes.count <= out.count, "StringWriter: past its capacity")
        _ = UnsafeMutableBufferPointer(rebasing: out[count...]).initialize(fromContentsOf: bytes)
        count += bytes.count
    }

    /// `value` in decimal, as `String(value)` spells it.
    public mutating func writeDecimal(_ value: Int) { DecimalDigits.forEachCharacter(of: value) { write($0) } }

    /// `value` as 16 lowercase hex digits, big-endian (as `Hex.string(value, digits: 16)`).
    public mutating func writeHex(_ value: UInt64) { Hex.forEachDigit(of: value, digits: 16) { write($0) } }
}
