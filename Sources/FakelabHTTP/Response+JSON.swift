import FakelabAPI
import Hummingbird

extension Response {
    /// A JSON response with sorted keys (deterministic bytes). `APIError` answers through it too.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(bytes: value.serialized(), status: status, headers: headers)
    }

    /// A JSON response from bytes already serialized: the one place that sets its `Content-Type`.
    public static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(buffer: ByteBuffer(bytes: bytes), status: status, headers: headers)
    }

    /// A JSON response from a buffer already serialized (shared, not copied: a cached answer).
    public static func json(buffer: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        guard !headers.isEmpty else { return Response(status: status, headers: jsonFields, body: .init(byteBuffer: buffer)) }
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: buffer))
    }

    /// The headers of most JSON answers, built once (copied on write when a middleware adds one).
    private static let jsonFields: HTTPFields = [.contentType: "application/json"]
}
