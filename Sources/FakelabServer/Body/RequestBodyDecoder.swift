import FakelabAPI
import FakelabHTTP
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// Reads a create request's body into an `ImageRequest`: JSON, or multipart streamed part by
/// part with the size limits enforced as bytes arrive (never after buffering everything).
struct RequestBodyDecoder: Sendable {
    let limits: Limits

    /// The request, and for JSON bodies the bytes as received (the journal keeps small ones raw).
    struct Decoded: Sendable {
        var request: ImageRequest
        var rawJSON: ByteBuffer?
    }

    nonisolated(nonsending) func decode(_ request: Request, endpoint: Endpoint) async throws(APIError) -> Decoded {
        let contentType = request.headers.value(.contentType) ?? ""
        let media = HeaderValue.mediaType(contentType)
        switch media {
        case "application/json":
            guard endpoint != .variations else {
                throw .badRequest(code: ErrorCode.invalidContentType, "/v1/images/variations takes multipart/form-data only")
            }
            return try await decodeJSON(request, endpoint: endpoint)
        case "multipart/form-data":
            guard let boundary = HeaderValue.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 200 else {
                throw .badRequest(code: ErrorCode.invalidContentType, "multipart/form-data needs a boundary parameter in Content-Type")
            }
            return Decoded(request: try await decodeMultipart(request, boundary: boundary, endpoint: endpoint), rawJSON: nil)
        default:
            let got = media.isEmpty ? "no Content-Type" : "Content-Type \(media)"
            throw .badRequest(code: ErrorCode.invalidContentType, "Send application/json or multipart/form-data, not \(got)")
        }
    }

    nonisolated(nonsending) private func decodeJSON(_ request: Request, endpoint: Endpoint) async throws(APIError) -> Decoded {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limits.maxJSONBytes) } catch is NIOTooManyBytesError {
            throw .payloadTooLarge(limit: limits.maxJSONBytes)
        } catch {
            throw .badRequest(code: ErrorCode.invalidJSON, "The request body could not be read")
        }
        let value: JSONValue
        let parsed = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(JSONValue.ParseError) in try JSONValue.parse(raw.bindMemory(to: UInt8.self)) }
        }
        do { value = try parsed.get() } catch {
            throw .badRequest(code: ErrorCode.invalidJSON, "The request body is not valid JSON: \(error.reason)")
        }
        guard case .object(let fields) = value else {
            throw .badRequest(code: ErrorCode.invalidJSON, "The request body must be a JSON object, not \(value.typeName)")
        }
        return Decoded(request: ImageRequest(endpoint: endpoint, encoding: .json, fields: fields), rawJSON: buffer)
    }

    private func decodeMultipart(_ request: Request, boundary: String, endpoint: Endpoint) async throws(APIError) -> ImageRequest {
        let parser = MultipartParser(boundary: boundary)
        let collector = MultipartCollector(limits: limits)
        parser.onHeader = { name, value in collector.header(name, value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.complete() }
        var total = 0
        var guardian = MultipartHeaderGuard(boundary: boundary)
        do {
            for try await chunk in request.body {
                total += chunk.readableBytes
                if total > limits.maxBodyBytes { throw APIError.payloadTooLarge(limit: limits.maxBodyBytes) }
                guard guardian.accept(chunk) else {
                    throw APIError.badRequest(code: ErrorCode.invalidValue, "The multipart body is malformed: a part header name is not ASCII")
                }
                try parser.execute(chunk)
                if let error = collector.error { throw error }
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw .badRequest(code: ErrorCode.invalidValue, "The multipart body is malformed")
        }
        if collector.inPart { throw .badRequest(code: ErrorCode.invalidValue, "The multipart body is truncated: its last part never ends") }
        if collector.partCount == 0 {
            throw .badRequest(code: ErrorCode.invalidValue, "The multipart body has no parts (does the boundary match Content-Type?)")
        }
        return ImageRequest(
            endpoint: endpoint,
            encoding: .multipart,
            fields: collector.fields,
            files: collector.files,
            duplicateFields: collector.duplicates
        )
    }

    /// A multipart/form-data body that is not an image request (`POST /v1/files`).
    func form(_ request: Request) async throws(APIError) -> ImageRequest {
        let contentType = request.headers.value(.contentType) ?? ""
        guard HeaderValue.mediaType(contentType) == "multipart/form-data", let boundary = HeaderValue.parameter("boundary", in: contentType),
            !boundary.isEmpty
        else {
            throw .badRequest(code: ErrorCode.invalidContentType, "Send multipart/form-data with a boundary")
        }
        return try await decodeMultipart(request, boundary: boundary, endpoint: .edits)
    }

}

/// Accumulates multipart parts as the parser reports them, enforcing per-part limits.
private final class MultipartCollector {
    let limits: Limits
    var fields: [String: JSONValue] = [:]
    var files: [String: [UploadedFile]] = [:]
    var duplicates: [String] = []
    var error: APIError?
    var inPart = false
    var partCount = 0
    private var headers: [String: String] = [:]
    private var part = PartBuffer()

    /// Fields a client may repeat (one part per source image).
    static let repeatable: Set<String> = ["image", "image[]"]

    init(limits: Limits) { self.limits = limits }

    func header(_ name: String, _ value: String) {
        inPart = true
        headers[name.lowercased()] = value
    }

    func body(_ buffer: inout ByteBuffer) {
        inPart = true
        guard error == nil else { return }
        if part.count + buffer.readableBytes > limits.maxImageBytes {
            let name = headers["content-disposition"].flatMap { HeaderValue.parameter("name", in: $0) }
            error = .payloadTooLarge(limit: limits.maxImageBytes, param: name, what: "part \(name.map { "'\($0)'" } ?? "")")
            part.discard()
            return
        }
        if !part.append(buffer.readableBytesView) {
            error = .uploadNotBuffered
        }
    }

    func complete() {
        let bytes = part.take()
        defer {
            headers = [:]
            inPart = false
        }
        guard error == nil else { return }
        partCount += 1
        if partCount > limits.maxParts {
            error = .badRequest(code: ErrorCode.invalidValue, "The multipart body has more than \(limits.maxParts) parts")
            return
        }
        guard let disposition = headers["content-disposition"], disposition.lowercased().hasPrefix("form-data"),
            let name = HeaderValue.parameter("name", in: disposition), !name.isEmpty
        else {
            error = .badRequest(code: ErrorCode.invalidValue, "Every multipart part needs Content-Disposition: form-data; name=\"…\"")
            return
        }
        let filename = HeaderValue.parameter("filename", in: disposition)
        if filename != nil || Self.repeatable.contains(name) || name == "mask" {
            files[name, default: []].append(UploadedFile(field: name, filename: filename, contentType: headers["content-type"], bytes: bytes))
            if files[name]!.count == 2, !Self.repeatable.contains(name) { duplicates.append(name) }
        } else {
            if fields[name] != nil, !duplicates.contains(name) { duplicates.append(name) }
            fields[name] = .string(String(decoding: bytes, as: UTF8.self))
        }
    }
}

/// One part's bytes: in memory up to `spillThreshold`, then in a temporary file, so a part that
/// turns out too large (refused at 50 MiB) never sits in memory. The file is removed when the
/// part is taken, discarded, or the buffer goes away.
private final class PartBuffer {
    static let spillThreshold = 4 << 20
    private var memory: [UInt8] = []
    private var file: (path: String, handle: FileHandle)?
    private(set) var count = 0

    /// False when the temporary file could not be written.
    func append(_ bytes: ByteBufferView) -> Bool {
        count += bytes.count
        if file == nil, memory.count + bytes.count > Self.spillThreshold {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-part-\(UUID().uuidString)").path
            guard FileManager.default.createFile(atPath: path, contents: Data(memory)), let handle = FileHandle(forWritingAtPath: path) else {
                return false
            }
            handle.seekToEndOfFile()
            file = (path, handle)
            memory = []
        }
        guard let file else {
            memory.append(contentsOf: bytes)
            return true
        }
        do { try file.handle.write(contentsOf: Data(bytes)) } catch { return false }
        return true
    }

    /// The part's bytes; the buffer is empty afterwards.
    func take() -> [UInt8] {
        defer { discard() }
        guard let file else { return memory }
        try? file.handle.close()
        return FileManager.default.contents(atPath: file.path).map { Array($0) } ?? []
    }

    func discard() {
        if let file {
            try? file.handle.close()
            try? FileManager.default.removeItem(atPath: file.path)
        }
        file = nil
        memory = []
        count = 0
    }

    deinit { discard() }
}
