import FakelabAPI
import NIOCore
import Testing

@testable import FakelabServer

/// Catalog answers are rendered once per query and then shared; the cache is bounded by bytes.
@Suite struct CatalogAnswersTests {
    @Test func aQueryIsRenderedOnceThenServedFromTheCache() {
        let answers = CatalogAnswers()
        var renders = 0
        let render: () -> JSONValue = {
            renders += 1
            return ["object": "list", "data": []]
        }
        let first = answers.answer("list\u{0}full", render: render)
        let second = answers.answer("list\u{0}full", render: render)
        #expect(renders == 1)
        #expect(first == second)
        #expect(String(buffer: first) == #"{"data":[],"object":"list"}"#)
        _ = answers.answer("list\u{0}compact", render: render)
        #expect(renders == 2)
    }

    @Test func pastItsCapacityTheCacheStartsAfresh() {
        let answers = CatalogAnswers(capacity: 64)
        var renders = 0
        func render(_ text: String) -> () -> JSONValue {
            {
                renders += 1
                return .string(text)
            }
        }
        _ = answers.answer("a", render: render(String(repeating: "a", count: 40)))
        _ = answers.answer("a", render: render(""))
        #expect(renders == 1)
        // 42 + 42 bytes is over 64: the cache is emptied, and "a" is rendered again.
        _ = answers.answer("b", render: render(String(repeating: "b", count: 40)))
        _ = answers.answer("a", render: render(String(repeating: "a", count: 40)))
        #expect(renders == 3)
    }
}
