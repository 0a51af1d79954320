import FakelabAPI
import FakelabServer
import Hummingbird
import HummingbirdTesting
import MultipartKit
import NIOCore
import NIOHTTP1

/// A server configuration for tests: seeded, manual clock, instant-free defaults.
public func testConfiguration(seed: UInt64 = 7, clock: ManualWallClock = ManualWallClock()) throws -> ServerConfiguration {
    var config = try ServerConfiguration()
    config.seed = seed
    config.clock = clock
    return config
}

/// An in-process application around the fake's router, for `app.test(.router)`.
public func testApplication(_ configuration: ServerConfiguration) -> some ApplicationProtocol {
    Application(router: FakelabApp.router(configuration))
}

public let testKey = "sk-fakelab-test-key-0001"

/// One part of a multipart body: a text field or a file.
public struct FormPart: Sendable {
    public var name: String
    public var filename: String?
    public var contentType: String?
    public var bytes: [UInt8]

    public static func text(_ name: String, _ value: String) -> FormPart {
        FormPart(name: name, filename: nil, contentType: nil, bytes: Array(value.utf8))
    }
    public static func file(_ name: String, _ filename: String, _ bytes: [UInt8], contentType: String = "image/png") -> FormPart {
        FormPart(name: name, filename: filename, contentType: contentType, bytes: bytes)
    }

    /// A multipart/form-data body (serialized by MultipartKit) and its Content-Type.
    public static func body(_ parts: [FormPart], boundary: String = "fakelab-test-boundary-7f3a") throws -> (ByteBuffer, String) {
        let mkParts = parts.map { part -> MultipartPart in
            var headers = HTTPHeaders()
            var disposition = "form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            headers.add(name: "Content-Disposition", value: disposition)
            if let type = part.contentType { headers.add(name: "Content-Type", value: type) }
            return MultipartPart(headers: headers, body: part.bytes)
        }
        var buffer = ByteBuffer()
        try MultipartSerializer().serialize(parts: mkParts, boundary: boundary, into: &buffer)
        return (buffer, "multipart/form-data; boundary=\(boundary)")
    }
}

extension TestClientProtocol {
    /// POSTs a JSON value with the test key (or `key`), returning status, headers and parsed body.
    public func postJSON(_ path: String, _ body: JSONValue, key: String? = testKey, headers extra: HTTPFields = [:]) async throws -> FakeResponse {
        var headers = extra
        headers[.contentType] = "application/json"
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await send(path, method: .post, headers: headers, body: ByteBuffer(bytes: body.serialized()))
    }

    public func postForm(_ path: String, _ parts: [FormPart], key: String? = testKey) async throws -> FakeResponse {
        let (body, contentType) = try FormPart.body(parts)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await send(path, method: .post, headers: headers, body: body)
    }

    public func get(_ path: String, key: String? = testKey) async throws -> FakeResponse {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await send(path, method: .get, headers: headers, body: nil)
    }

    public func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> FakeResponse {
        try await execute(uri: path, method: method, headers: headers, body: body) { response in
            FakeResponse(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer: response.body))
        }
    }
}

/// What came back: status, headers, raw bytes and (when JSON) the parsed body.
public struct FakeResponse: Sendable {
    public let status: Int
    public let headers: HTTPFields
    public let bytes: [UInt8]
    public var json: JSONValue { (try? JSONValue.parse(bytes)) ?? .null }
    /// `error` of TokenLab's envelope.
    public var error: JSONValue? { json["error"] }
}
