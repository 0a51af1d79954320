import FakelabAPI
import FakelabHTTP
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// `Response.json`: one `Content-Type` and one correct `Content-Length`, whatever headers a caller passes.
@Suite struct ResponseJSONTests {
    static let body: [UInt8] = Array(#"{"created":1,"data":[]}"#.utf8)

    static func values(_ response: Response, _ name: HTTPField.Name) -> [String] {
        response.headers.filter { $0.name == name }.map(\.value)
    }

    @Test func withoutHeadersTheContentTypeAndLength() {
        let response = Response.json(bytes: Self.body, status: .created)
        #expect(response.status == .created)
        #expect(Self.values(response, .contentType) == ["application/json"])
        #expect(Self.values(response, .contentLength) == [String(Self.body.count)])  // Hummingbird's, from the body
        #expect(response.headers.count == 2)
        #expect(response.body.contentLength == Self.body.count)
    }

    @Test(arguments: [
        HTTPFields([HTTPField(name: .retryAfter, value: "2")]),
        Response.jsonHeaders(HTTPField(name: .retryAfter, value: "2")),
        HTTPFields([HTTPField(name: .contentType, value: "text/plain"), HTTPField(name: .retryAfter, value: "2")]),
    ])
    func extraHeadersGetOneContentTypeAndLength(headers: HTTPFields) {
        let response = Response.json(bytes: Self.body, headers: headers)
        #expect(Self.values(response, .contentType) == ["application/json"])
        #expect(Self.values(response, .contentLength) == [String(Self.body.count)])
        #expect(Self.values(response, .retryAfter) == ["2"])
    }

    @Test func aLengthTheCallerSetIsNotDuplicated() {
        let headers: HTTPFields = [.contentLength: String(Self.body.count), .retryAfter: "1"]
        let response = Response.json(bytes: Self.body, headers: headers)
        #expect(Self.values(response, .contentLength) == [String(Self.body.count)])
        #expect(Self.values(response, .contentType) == ["application/json"])
    }

    /// A value's answer is sized by its serialized form (the sorted-key bytes are
    /// `ByteWritingTests`'); a multi-byte character counts its bytes.
    @Test func aValueIsSizedByItsSerializedBytes() {
        let value: JSONValue = .object(["b": 1, "a": "é"])
        let response = Response.json(value, headers: [.retryAfter: "3"])
        #expect(Self.values(response, .contentLength) == [String(value.serialized().count)])
        #expect(value.serialized().count == #"{"a":"é","b":1}"#.utf8.count)
    }
}
