import FakelabAPI
import Foundation
import Testing

/// Hex and base64 have one owner each (`Support/Hex.swift`, `Support/Base64.swift`); these hold
/// them to Foundation's and the standard's spelling.
@Suite struct EncodingTests {
    @Test(arguments: [0, 1, 2, 3, 4, 5, 57, 1000])
    func base64RoundTripsAndMatchesFoundation(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Base64.encode(bytes)
        #expect(text == Data(bytes).base64EncodedString())
        #expect(Base64.decode(text) == bytes)
    }

    @Test func base64SkipsLineBreaksAndRefusesWhatIsNotBase64() {
        #expect(Base64.decode("aGVs\r\nbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbG8") == nil)  // not a whole group
        #expect(Base64.decode("aGVsbG8=aGVs") == nil)  // data after padding
        #expect(Base64.decode("a===") == nil)
        #expect(Base64.decode("aGV*bG8=") == nil)
        #expect(Base64.decode("") == [])
    }

    @Test func hexIsLowercaseZeroPaddedAndBigEndian() {
        #expect(Hex.string(0xAB, digits: 4) == "00ab")
        #expect(Hex.string(.max, digits: 16) == "ffffffffffffffff")
        #expect(Hex.string(bytes: [0x00, 0x0F, 0xF0, 0xFF]) == "000ff0ff")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
