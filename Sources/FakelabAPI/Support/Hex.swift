/// Lowercase hex, the one spelling of it: ids, fingerprints, digests and key handles.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `value` as lowercase big-endian hex, `count` digits (zero-padded); past 16 digits more
    /// bits are mixed from `value` (ids longer than 64 bits).
    public static func string(_ value: UInt64, digits count: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        append(value, digits: count, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `string(value, digits:)`, written at the end of `out`.
    public static func append(_ value: UInt64, digits count: Int, to out: inout [UInt8]) {
        forEachDigit(of: value, digits: count) { out.append($0) }
    }

    /// Each character of `string(value, digits:)`, in order, without making the string.
    public static func forEachDigit(of value: UInt64, digits count: Int, _ body: (UInt8) -> Void) {
        var chunk = value
        var left = count
        while left > 0 {
            let take = min(16, left)
            for i in stride(from: take - 1, through: 0, by: -1) {
                body(digits[Int(chunk >> (UInt64(i) * 4) & 15)])
            }
            left -= take
            chunk = SplitMix64.mix(chunk)
        }
    }

    /// Every byte as two lowercase hex digits.
    public static func string(bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
