import Testing

@testable import FakelabAPI

/// `StringWriter` spells numbers as the standard library does, and makes a string exactly as
/// long as what was written, whatever capacity it was given.
@Suite struct StringWriterTests {
    @Test(arguments: [0, 7, 9, 10, 99, 100, 1024, 16_384, -5, -10, Int.max, Int.min])
    func decimalsAreSpelledAsStringDoes(value: Int) {
        let text = StringWriter.string(capacity: 24) { $0.writeDecimal(value) }
        #expect(text == String(value))
        #expect(DecimalDigits.count(value) == String(value).utf8.count)
    }

    @Test(arguments: [UInt64(0), 1, 0xBEEF, 0x0123_4567_89AB_CDEF, .max])
    func hexIsSixteenLowercaseDigits(value: UInt64) {
        #expect(StringWriter.string(capacity: 16) { $0.writeHex(value) } == Hex.string(value, digits: 16))
    }

    @Test func theStringIsWhatWasWrittenNotItsCapacity() {
        let text = StringWriter.string(capacity: 64) { out in
            out.write("é/")
            out.write(UInt8(ascii: "x"))
            out.writeDecimal(42)
        }
        #expect(text == "é/x42")
        #expect(StringWriter.string(capacity: 8) { _ in } == "")
    }
}
