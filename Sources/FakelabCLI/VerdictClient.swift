import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import Foundation
import NIOCore

/// Why `fakelab verdict` has no verdict to show; never carries the key. Kinds compare equal
/// whatever their details (`error == .unreachable`), as AsyncHTTPClient's `HTTPClientError` does.
public struct VerdictError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case unreachable, answered, malformed
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = Secrets.maskTokens(in: description)
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: VerdictError, rhs: VerdictError) -> Bool { lhs.code == rhs.code }

    /// Nothing answers at the fake's address.
    public static var unreachable: VerdictError { VerdictError(.unreachable, "cannot reach the fake") }
    /// The fake answered a 4xx or 5xx.
    public static var answered: VerdictError { VerdictError(.answered, "the fake refused the call") }
    /// The fake answered something that is not a verdict or a journal (not JSON, fields missing).
    public static var malformed: VerdictError { VerdictError(.malformed, "the fake's answer cannot be read") }

    static func unreachable(_ url: String, _ error: any Error) -> VerdictError {
        VerdictError(.unreachable, "cannot reach the fake at \(url) (\(error)); is `fakelab serve` running there?")
    }

    static func malformed(_ problem: String) -> VerdictError { VerdictError(.malformed, problem) }

    /// A 4xx/5xx from the fake: its envelope's code and message, and a hint for the usual causes.
    static func answered(_ status: Int, body: [UInt8], url: String, path: String) -> Self {
        let envelope = (try? JSONValue.parse(body))?["error"]
        let code = envelope?["code"]?.stringValue ?? envelope?["type"]?.stringValue
        let message = envelope?["message"]?.stringValue ?? String(String(decoding: body, as: UTF8.self).prefix(200))
        var text = "the fake at \(url) answered \(status)\(code.map { " \($0)" } ?? "") to GET \(path): \(message)"
        switch status {
        case 401: text += " (--key must be the key the client used)"
        case 403: text += " (a fake on another host needs --control-token)"
        case 404: text += " (is this a fakelab serve of this version? replay servers have no verdict)"
        default: break
        }
        return VerdictError(.answered, text)
    }
}

/// The two control-API reads `fakelab verdict` makes, for one key.
struct VerdictClient: Sendable {
    /// An answer's bytes, as text and parsed.
    struct Body {
        var text: String
        var value: JSONValue
    }

    let request: VerdictRequest
    /// Its own client, so a refused connection fails at once (the shared one retries until the deadline).
    private let http: HTTPClient

    init(_ request: VerdictRequest) {
        self.request = request
        var configuration = HTTPClient.Configuration.fakelab(connect: .seconds(5))
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Call once, when done.
    func shutdown() async { try? await http.shutdown() }

    /// `GET /__fakelab/verdict[?since=SEQ]`.
    func verdict() async throws(VerdictError) -> Body { try await get("/__fakelab/verdict") }

    /// `GET /__fakelab/journal[?since=SEQ]`, typed: labels the seqs a verdict names.
    func journal() async throws(VerdictError) -> [JournalEntry] {
        let body = try await get("/__fakelab/journal")
        guard let items = body.value["data"]?.arrayValue else { throw .malformed("the journal answer has no data array") }
        do { return try items.map { try JournalEntry(json: $0) } } catch {
            throw .malformed("the fake's journal cannot be read (\(error)); is the fake the same version as this command?")
        }
    }

    func get(_ path: String) async throws(VerdictError) -> Body {
        let target = path + (request.since.map { "?since=\($0)" } ?? "")
        var call = HTTPClientRequest(url: request.baseURL + target)
        call.headers.add(name: Secrets.authorizationHeader, value: "Bearer \(request.key)")
        if let token = request.controlToken { call.headers.add(name: Secrets.controlTokenHeader, value: token) }
        let status: Int
        let bytes: [UInt8]
        do {
            let response = try await http.execute(call, timeout: .seconds(10))
            status = Int(response.status.code)
            bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            throw .unreachable(request.baseURL, error)
        }
        guard status < 300 else { throw VerdictError.answered(status, body: bytes, url: request.baseURL, path: path) }
        guard let value = try? JSONValue.parse(bytes) else { throw .malformed("GET \(path) at \(request.baseURL) did not answer JSON") }
        return Body(text: String(decoding: bytes, as: UTF8.self), value: value)
    }
}
