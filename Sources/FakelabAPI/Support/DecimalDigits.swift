/// Decimal digits, the one spelling of them: every writer of a number (`[UInt8]`, `StringWriter`,
/// the JSON hash) calls these, so `String(value)`'s spelling is written in one place.
public enum DecimalDigits {
    /// Each character of `String(value)`, in order, without making the string.
    @inlinable
    public static func forEachCharacter(of value: Int, _ body: (UInt8) -> Void) {
        if value < 0 { body(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var scale: UInt = 1
        while magnitude / scale >= 10 { scale *= 10 }
        while scale > 0 {
            body(UInt8(ascii: "0") + UInt8(magnitude / scale % 10))
            scale /= 10
        }
    }

    /// The number of characters of `String(value)`.
    @inlinable
    public static func count(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var n = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            n += 1
        }
        return n
    }
}

extension Array where Element == UInt8 {
    /// `value` in decimal, as `String(value)` spells it, written without making the string.
    public mutating func appendDecimal(_ value: Int) {
        DecimalDigits.forEachCharacter(of: value) { append($0) }
    }
}
