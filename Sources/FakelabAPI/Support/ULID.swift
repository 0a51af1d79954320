/// ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, then 80 bits), the shape
/// of TokenLab's request ids (`req_01J…`).
public enum ULID {
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// `prefix`, then the ULID of `milliseconds` since 1970 and 80 bits taken from `high` (16)
    /// and `low` (64). Written into the string's own storage: one allocation (a request id is
    /// made for every request).
    public static func string(milliseconds: UInt64, high: UInt16, low: UInt64, prefix: StaticString = "") -> String {
        StringWriter.string(capacity: prefix.utf8CodeUnitCount + 26) { out in
            out.write(prefix)
            alphabet.withUnsafeBufferPointer { alphabet in
                // 48 bits of time as 10 base32 digits, then 80 random bits as 16, most significant first.
                let time = milliseconds & 0xFFFF_FFFF_FFFF
                for shift in stride(from: 45, through: 0, by: -5) { out.write(alphabet[Int(time >> UInt64(shift) & 31)]) }
                let bits = UInt128(high) << 64 | UInt128(low)
                for shift in stride(from: 75, through: 0, by: -5) { out.write(alphabet[Int(bits >> UInt128(shift) & 31)]) }
            }
        }
    }
}
