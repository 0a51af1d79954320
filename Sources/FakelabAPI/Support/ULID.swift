/// ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, then 80 bits), the shape
/// of TokenLab's request ids (`req_01J…`).
public enum ULID {
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// `prefix`, then the ULID of `milliseconds` since 1970 and 80 bits taken from `high` (16)
    /// and `low` (64). Written into the string's own storage: one allocation (a request id is
    /// made for every request).
    public static func string(milliseconds: UInt64, high: UInt16, low: UInt64, prefix: StaticString = "") -> String {
        let lead = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: lead + 26) { out in
            prefix.withUTF8Buffer { for (i, byte) in $0.enumerated() { out[i] = byte } }
            alphabet.withUnsafeBufferPointer { alphabet in
                var time = milliseconds & 0xFFFF_FFFF_FFFF
                for i in stride(from: lead + 9, through: lead, by: -1) {
                    out[i] = alphabet[Int(time & 31)]
                    time >>= 5
                }
                // 80 random bits as 16 base32 digits, most significant first.
                var lowBits = low
                var highBits = UInt64(high)
                for i in stride(from: lead + 25, through: lead + 10, by: -1) {
                    out[i] = alphabet[Int(lowBits & 31)]
                    lowBits = (lowBits >> 5) | ((highBits & 31) << 59)
                    highBits >>= 5
                }
            }
            return lead + 26
        }
    }
}
