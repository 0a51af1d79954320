import FakelabAPI
import Foundation
import MultipartKit
import NIOCore

/// The canonical form of a request that replay matches on: method, path, canonical query, and a
/// canonical body — JSON with sorted keys and no whitespace (ignored fields removed), multipart
/// as its parts by name, filename and content hash (the boundary ignored), anything else by hash.
public struct MatchKey: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String
    public var query: String
    public var body: String

    public var description: String { "\(method) \(path)\(query.isEmpty ? "" : "?" + query) \(body)" }

    /// One string, for the index.
    public var digest: String { Self.digest(of: description) }

    /// The index digest of a canonical description (for callers that already hold it).
    public static func digest(of description: String) -> String { SHA256.hex(Array(description.utf8)) }

    public init(method: String, path: String, query: String, body: String) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    public init(_ request: Exchange.Request, ignoring ignoredFields: Set<String> = []) {
        method = request.method
        path = request.path
        query = (request.query ?? "").split(separator: "&").map(String.init).sorted().joined(separator: "&")
        body = Self.canonicalBody(request.body, contentType: request.contentType, ignoring: ignoredFields)
    }

    static func canonicalBody(_ bytes: [UInt8], contentType: String?, ignoring: Set<String>) -> String {
        if bytes.isEmpty { return "" }
        if HeaderValue.isJSON(contentType), case .object(var object)? = try? JSONValue.parse(bytes) {
            for field in ignoring { object[field] = nil }
            return "json:" + JSONValue.object(object).serializedString()
        }
        if HeaderValue.mediaType(contentType ?? "") == "multipart/form-data", let boundary = HeaderValue.parameter("boundary", in: contentType ?? ""),
            let parts = Self.parts(bytes, boundary: boundary)
        {
            let described = parts.filter { !ignoring.contains($0.name) }.map { p -> String in
                p.filename == nil
                    ? "\(p.name)=\(String(decoding: p.body, as: UTF8.self))" : "\(p.name);filename=\(p.filename!);sha256=\(SHA256.hex(p.body))"
            }
            return "multipart:" + described.joined(separator: "&")
        }
        return "sha256:" + SHA256.hex(bytes)
    }

    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    /// The parts of a multipart body (MultipartKit's parser), in order; nil when malformed. The
    /// one multipart reader of the cassette side: matching, near misses and the replay journal.
    public static func parts(_ bytes: [UInt8], boundary: String) -> [Part]? {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        parser.onHeader = { headers[$0.lowercased()] = $1 }
        parser.onBody = { body.append(contentsOf: $0.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            parts.append(
                Part(
                    name: HeaderValue.parameter("name", in: disposition) ?? "",
                    filename: HeaderValue.parameter("filename", in: disposition),
                    contentType: headers["content-type"],
                    body: body
                )
            )
            headers = [:]
            body = []
        }
        do { try parser.execute(bytes) } catch { return nil }
        return parts
    }
}
