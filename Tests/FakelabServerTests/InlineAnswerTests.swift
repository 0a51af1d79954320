import FakelabAPI
import Testing

@testable import FakelabServer

/// An inline answer of URLs is written without a dictionary; it must equal the `JSONValue`
/// form byte for byte (sorted keys, escaping), for any number of results.
@Suite struct InlineAnswerTests {
    @Test(arguments: [0, 1, 4])
    func theWrittenAnswerEqualsTheValueForm(results: Int) throws {
        let urls = (0..<results).map { "http://127.0.0.1:8080/fakelab/images/1024x1024-\($0)\u{e9}\"\\/\u{1}.png" }
        let written = ImageEngine.urlAnswer(billing: "cjz50z92t9dp3sg9s6n7bfnhv", created: 1_796_136_653, urls: urls)
        let value: JSONValue = [
            "billing_transaction_id": "cjz50z92t9dp3sg9s6n7bfnhv",
            "created": .int(1_796_136_653),
            "data": .array(urls.map { ["url": .string($0)] }),
        ]
        #expect(written == value.serialized())
        #expect(try JSONValue.parse(written) == value)
    }
}
