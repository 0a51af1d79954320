import FakelabAPI

/// A task id as stored: 128 bits. On the wire it is `ldtask_` + 32 lowercase hex digits (the
/// published pattern of `/v1/images/{id}`); uppercase hex is accepted when parsed.
struct TaskID: Hashable, Sendable, CustomStringConvertible {
    let high: UInt64
    let low: UInt64

    static let prefix = "ldtask_"

    init(high: UInt64, low: UInt64) { (self.high, self.low) = (high, low) }

    /// Parses `ldtask_` + 32 hex digits; nil for anything else.
    init?(_ text: some StringProtocol) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let hex = text.utf8.dropFirst(Self.prefix.utf8.count)
        guard hex.count == 32 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        for (i, byte) in hex.enumerated() {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            if i < 16 { words.0 = words.0 << 4 | digit } else { words.1 = words.1 << 4 | digit }
        }
        (high, low) = words
    }

    var description: String { Self.prefix + Hex.string(high, digits: 16) + Hex.string(low, digits: 16) }
}

/// TokenLab's billing transaction id as stored: the 64 seeded bits its 25 characters are
/// rendered from (`c` + 24 of `[a-z0-9]`, cuid style, as `cmo164zyc0s48jpgegi80vqv4` in the
/// docs of 2026-09-25).
struct BillingID: Hashable, Sendable, CustomStringConvertible {
    let value: UInt64

    var description: String { Base36.string(value, digits: 24, prefix: "c") }
}
