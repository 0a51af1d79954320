import AsyncHTTPClient
import FakelabAPI
import Foundation
import NIOCore

/// What the runner grades against: a fake's base URL and its control API. The CLI decides
/// whether that is a fake it starts itself, one already running, or a `fakelab replay` server.
public struct ConformanceTarget: Sendable {
    /// `http://host:port` (clients get `baseURL + "/v1"`).
    public var baseURL: String
    /// `X-Fakelab-Control-Token`, when the target was started with `--control-token`.
    public var controlToken: String?

    public init(baseURL: String, controlToken: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.controlToken = controlToken
    }

    /// Calls the target's control API for `key` with the run's `client`; a non-2xx answer is an
    /// error naming the call and the target's answer. `setUp`: a call staging the scenario (task
    /// policy, faults); a refusal with the code `unsupported_operation` (a `fakelab replay`
    /// server: it answers from its cassette) is `ConformanceError.refused` with the target's
    /// reason — the scenario cannot be graded there, the run goes on. Any other refusal (a rule
    /// the target rejects, a wrong base path, credentials) is a target error: the run stops.
    @discardableResult
    public func control(
        _ key: String,
        _ method: String,
        _ path: String,
        _ body: JSONValue? = nil,
        client: HTTPClient,
        setUp: Bool = false
    ) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: Secrets.authorizationHeader, value: "Bearer \(key)")
        if let controlToken { request.headers.add(name: Secrets.controlTokenHeader, value: controlToken) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        let status = Int(response.status.code)
        guard status < 300 else {
            let error = (try? JSONValue.parse(bytes))?["error"]
            if setUp, error?["code"]?.stringValue == ErrorCode.unsupportedOperation {
                let reason = error?["message"]?.stringValue ?? String(decoding: bytes, as: UTF8.self)
                throw ConformanceError.refused("not gradable on this target: \(method) \(path) answered \(status): \(reason)")
            }
            throw ConformanceError("control API \(method) \(path) answered \(status): \(String(decoding: bytes, as: UTF8.self))")
        }
        return (try? JSONValue.parse(bytes)) ?? .null
    }

    /// Fails early, with the address, when nothing answers `/health` there.
    public func checkReachable(client: HTTPClient) async throws {
        do {
            let response = try await client.execute(HTTPClientRequest(url: baseURL + "/health"), timeout: .seconds(5))
            guard response.status.code == 200 else { throw ConformanceError("\(baseURL)/health answered \(response.status.code)") }
        } catch let error as ConformanceError {
            throw error
        } catch {
            throw ConformanceError("no fake answers at \(baseURL) (\(error))")
        }
    }
}
