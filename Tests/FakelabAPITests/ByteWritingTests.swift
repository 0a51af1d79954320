import FakelabAPI
import Testing

/// The request path writes ids, names, media types and masks as bytes instead of making
/// strings; each must spell exactly what the string-making form did.
@Suite struct ByteWritingTests {
    @Test(arguments: [0, 7, -7, 10, 99, 1024, -1024, 1_700_000_000, Int.max, Int.min])
    func appendDecimalSpellsWhatStringDoes(value: Int) {
        var out: [UInt8] = Array("x=".utf8)
        out.appendDecimal(value)
        #expect(String(decoding: out, as: UTF8.self) == "x=" + String(value))
    }

    /// A control character in a JSON string is `\u00` and two lowercase hex digits (from
    /// `Hex`'s table), the short escapes stay short, and the text parses back as it was.
    @Test func jsonStringEscapesSpellControlCharacters() throws {
        let text = "\u{01}\u{1F}\u{0B}\"\\\n\r\té"
        let bytes = JSONValue.string(text).serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == #""\u0001\u001f\u000b\"\\\n\r\té""#)
        #expect(try JSONValue.parse(bytes) == .string(text))
    }

    @Test(arguments: [1, 8, 16, 17, 24, 32])
    func hexAppendEqualsHexString(digits: Int) {
        var out: [UInt8] = []
        Hex.append(0x0123_4567_89AB_CDEF, digits: digits, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == Hex.string(0x0123_4567_89AB_CDEF, digits: digits))
        #expect(out.count == digits)
    }

    @Test(arguments: [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        ("multipart/form-data; boundary=X", "multipart/form-data"),
        (" text/plain ", "text/plain"),
        ("", ""),
    ])
    func mediaTypeIsLowercaseWithoutParameters(header: String, media: String) {
        #expect(HeaderValue.mediaType(header) == media)
    }

    @Test(arguments: [
        ("Bearer sk-test-000000001234", "Bearer sk-…1234"),
        ("Bearer sk-short", "Bearer sk-…"),
        ("sk-live-abcdefghijkl9876", "sk-…9876"),
        ("Basic dXNlcjpwYXNzd29yZA==", "Basic …ZA=="),
        ("Bearer sk-…1234", "Bearer sk-…1234"),
        ("…", "…"),
        // A "…" inside a secret does not make it look masked.
        ("Bearer sk-live-abc\u{2019}defghijkl9876", "Bearer sk-…9876"),
        ("Bearer a…b-0123456789", "Bearer …6789"),
    ])
    func maskKeepsSchemePrefixAndLastFour(value: String, masked: String) {
        #expect(Secrets.mask(value) == masked)
        #expect(Secrets.mask(Secrets.mask(value)) == masked)
    }

    @Test(arguments: [
        ("a=1&b=2", "a=1&b=2"),
        ("api_key=AIzaSyA-0123456789abcdef&n=1", "api_key=…cdef&n=1"),
        ("n=1&X-Amz-Signature=0f0e0d0c0b0a09080706", "n=1&X-Amz-Signature=…0706"),
        ("token=short", "token=…"),
        ("note=sk-live-abcdefghijkl9876", "note=sk-…9876"),
        ("key=", "key="),
        ("flag&&x=1", "flag&&x=1"),
        ("client_secret=abc123&page=2", "client_secret=…&page=2"),
        ("refresh_token=r-0123456789abcdef", "refresh_token=…cdef"),
        ("Password=hunter2", "Password=…"),
    ])
    func queryCredentialsAreMaskedInPlace(query: String, masked: String) {
        #expect(Secrets.maskQuery(query) == masked)
    }

    @Test func objectsSerializeWithSortedKeysAndIntegersAsDigits() {
        let value: JSONValue = ["b": 2, "a": ["z": -30, "y": "é"], "c": [1, 20, 300]]
        #expect(value.serializedString() == #"{"a":{"y":"é","z":-30},"b":2,"c":[1,20,300]}"#)
    }
}
