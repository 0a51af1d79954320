import AsyncHTTPClient
import Foundation
import NIOCore

/// A GET that follows redirects by hand, so each hop can be checked and given its own headers:
/// `ReferenceFetcher` (`--allow-fetch`) re-checks every URL, the recorder sends the API key only
/// to the upstream's origin. A redirect is a 3xx with a `Location`, resolved against the URL
/// that sent it (`URL(string:relativeTo:)`); a 3xx without one is an answer like any other.
public struct RedirectingFetch: Sendable {
    public var client: HTTPClient
    public var maxRedirects: Int
    /// The most `Answer.body()` reads.
    public var maxBytes: Int
    /// For each hop.
    public var timeout: TimeAmount

    public init(client: HTTPClient, maxRedirects: Int, maxBytes: Int, timeout: TimeAmount) {
        self.client = client
        self.maxRedirects = maxRedirects
        self.maxBytes = maxBytes
        self.timeout = timeout
    }

    /// Why a fetch gave up; each caller says it in its own words.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The request to `url` failed (connection, timeout, …).
        case unreachable(url: String, reason: String)
        /// `url` redirected to a `Location` that is not a URL.
        case unusableLocation(url: String)
        /// Still redirected after `max` redirects.
        case tooManyRedirects(max: Int)
        /// The body from `url` is larger than `limit` bytes.
        case tooLarge(url: String, limit: Int)
        /// The body from `url` broke off.
        case brokenOff(url: String, reason: String)

        public var description: String {
            switch self {
            case .unreachable(let url, let reason): "could not fetch \(url): \(reason)"
            case .unusableLocation(let url): "\(url) redirected without a usable Location"
            case .tooManyRedirects(let max): "more than \(max) redirects"
            case .tooLarge(let url, let limit): "the answer from \(url) is larger than \(limit) bytes"
            case .brokenOff(let url, let reason): "the download from \(url) broke off: \(reason)"
            }
        }
    }

    /// The first answer that is not a redirect; its body is read by `body()`, if at all.
    public struct Answer: Sendable {
        /// The URL that answered (the last hop).
        public let url: String
        let response: HTTPClientResponse
        let maxBytes: Int

        public var status: Int { Int(response.status.code) }

        public func header(_ name: String) -> String? { response.headers.first(name: name) }

        /// The whole body, at most `maxBytes`.
        public func body() async throws(Problem) -> [UInt8] {
            do {
                return Array(try await response.body.collect(upTo: maxBytes).readableBytesView)
            } catch is NIOTooManyBytesError {
                throw .tooLarge(url: url, limit: maxBytes)
            } catch {
                throw .brokenOff(url: url, reason: "\(error)")
            }
        }
    }

    /// GETs `url`, following up to `maxRedirects` redirects. `prepare` runs before every hop with
    /// the URL about to be fetched: it may refuse it (its error is thrown as is) and returns that
    /// hop's headers. Other failures are a `Problem`.
    public func get(_ url: String, prepare: (String) async throws -> [(String, String)] = { _ in [] }) async throws -> Answer {
        var current = url
        for _ in 0...maxRedirects {
            var request = HTTPClientRequest(url: current)
            for (name, value) in try await prepare(current) { request.headers.add(name: name, value: value) }
            let response: HTTPClientResponse
            do { response = try await client.execute(request, timeout: timeout) } catch {
                throw Problem.unreachable(url: current, reason: "\(error)")
            }
            guard (300..<400).contains(response.status.code), let location = response.headers.first(name: "Location") else {
                return Answer(url: current, response: response, maxBytes: maxBytes)
            }
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                throw Problem.unusableLocation(url: current)
            }
            // A redirect's own body is small: read it so the connection can serve the next hop.
            _ = try? await response.body.collect(upTo: 64 << 10)
            current = next
        }
        throw Problem.tooManyRedirects(max: maxRedirects)
    }
}
