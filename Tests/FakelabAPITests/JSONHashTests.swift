import Testing

@testable import FakelabAPI

/// Hashing a value through the writer folds in exactly the bytes `serialized()` gives: image
/// seeds (and so every result URL) stay what they were when the bytes were made first.
@Suite struct JSONHashTests {
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .int(0), .int(-42), .int(Int.max), .int(Int.min), .double(2.5), .double(-0.125),
        .double(3), .double(.infinity), .string(""), .string("a \"quoted\" \\ line\n\ttab \u{01} é 🦊"),
        .array([]), .object([:]),
        .object([
            "size": "1024x1024", "n": 2, "prompt": "a red fox in snow", "b": ["x": [1, 2, ["deep": nil]]], "a": [true, 1.5, "s"],
        ]),
    ]

    @Test(arguments: values)
    func hashingThroughTheWriterMatchesHashingTheBytes(value: JSONValue) {
        var direct = StableHash(seed: 7)
        direct.combine(value.serialized())
        var streamed = StableHash(seed: 7)
        value.combine(into: &streamed)
        #expect(streamed.value == direct.value)
        // And a field ends there: what follows is hashed as before.
        direct.combine("next")
        streamed.combine("next")
        #expect(streamed.value == direct.value)
    }
}
