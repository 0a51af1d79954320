import FakelabHTTP
import HTTPTypes
import Testing

/// `HTTPFields.value` reads a header as the subscript does, repeated fields joined.
@Suite struct HeaderValueTests {
    @Test(
        arguments: [
            ([], nil),
            (["Bearer sk-one"], "Bearer sk-one"),
            (["Bearer sk-one", "Bearer sk-two"], "Bearer sk-one, Bearer sk-two"),
            (["", "x"], ", x"),
        ] as [([String], String?)]
    )
    func readsAsTheSubscriptDoes(values: [String], expected: String?) {
        var fields: HTTPFields = [.contentType: "application/json", .accept: "*/*"]
        for value in values { fields.append(HTTPField(name: .authorization, value: value)) }
        fields.append(HTTPField(name: .userAgent, value: "test"))
        #expect(fields.value(.authorization) == expected)
        #expect(fields.value(.authorization) == fields[.authorization])
        #expect(fields.value(.xFakelabFault) == nil)
    }
}
