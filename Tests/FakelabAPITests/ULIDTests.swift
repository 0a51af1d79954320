import Testing

@testable import FakelabAPI

/// Request ids are ULIDs: 48 bits of milliseconds then 80 bits, Crockford base32, most
/// significant digit first, after an optional prefix.
@Suite struct ULIDTests {
    @Test(arguments: [
        (UInt64(0), UInt16(0), UInt64(0), "00000000000000000000000000"),
        // The time part of the ULID specification's own example (01ARYZ6S41…).
        (1_469_918_176_385, 0xBEEF, 0x0123_4567_89AB_CDEF, "01ARYZ6S41QVQG28T5CY4TQKFF"),
        (0xFFFF_FFFF_FFFF, 0xFFFF, .max, "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
    ])
    func digitsAreBase32MostSignificantFirst(milliseconds: UInt64, high: UInt16, low: UInt64, expected: String) {
        #expect(ULID.string(milliseconds: milliseconds, high: high, low: low) == expected)
        #expect(ULID.string(milliseconds: milliseconds, high: high, low: low, prefix: "req_") == "req_" + expected)
    }

    @Test func timeAboveFortyEightBitsIsCut() {
        #expect(ULID.string(milliseconds: 1 << 48 | 5, high: 0, low: 0) == ULID.string(milliseconds: 5, high: 0, low: 0))
    }
}
