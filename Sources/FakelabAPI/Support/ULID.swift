/// ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, then 80 bits), the shape
/// of TokenLab's request ids (`req_01J…`).
public enum ULID {
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// `milliseconds` since 1970 and 80 bits taken from `high` (16) and `low` (64).
    public static func string(milliseconds: UInt64, high: UInt16, low: UInt64) -> String {
        var out = [UInt8](repeating: 0, count: 26)
        var time = milliseconds & 0xFFFF_FFFF_FFFF
        for i in stride(from: 9, through: 0, by: -1) {
            out[i] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits as 16 base32 digits, most significant first.
        var lowBits = low
        var highBits = UInt64(high)
        for i in stride(from: 25, through: 10, by: -1) {
            out[i] = alphabet[Int(lowBits & 31)]
            lowBits = (lowBits >> 5) | ((highBits & 31) << 59)
            highBits >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
