import FakelabAPI
import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON response with sorted keys (deterministic bytes). `APIError` answers through it too.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(bytes: value.serialized(), status: status, headers: headers)
    }

    /// A JSON response from bytes already serialized: the one place that sets its `Content-Type`.
    public static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)  // one allocation, the exact size
        buffer.writeBytes(bytes)
        return json(buffer: buffer, status: status, headers: headers)
    }

    /// A JSON response from a buffer already serialized (shared, not copied: a cached answer).
    public static func json(buffer: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        guard !headers.isEmpty else { return Response(status: status, headers: jsonFields, body: .init(byteBuffer: buffer)) }
        var fields = headers
        if fields.value(.contentType) != "application/json" { fields[.contentType] = "application/json" }
        // Appended here: Hummingbird's response would add it with a set, which rebuilds the fields.
        if !fields.contains(.contentLength) { fields.append(HTTPField(name: .contentLength, value: String(buffer.readableBytes))) }
        return Response(status: status, headers: fields, body: .init(byteBuffer: buffer))
    }

    /// A JSON answer's headers with room for the ones the request path adds (`Content-Length`,
    /// `X-Request-ID`, the rate-limit trio): one allocation for the answer's headers.
    public static func jsonHeaders(_ fields: HTTPField...) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(fields.count + 7)
        headers.append(HTTPField(name: .contentType, value: "application/json"))
        headers.append(contentsOf: fields)
        return headers
    }

    /// The headers of most JSON answers, built once (copied on write when a middleware adds one).
    private static let jsonFields: HTTPFields = [.contentType: "application/json"]
}
