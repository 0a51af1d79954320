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

    /// Why a fetch gave up. Kinds compare equal whatever their details (`problem == .tooLarge`),
    /// as AsyncHTTPClient's `HTTPClientError` does; `description` says what happened.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        private enum Code: Sendable, Equatable {
            case unreachable, unusableLocation, tooManyRedirects, tooLarge, brokenOff
        }

        private let code: Code
        public let description: String

        private init(_ code: Code, _ description: String) {
            self.code = code
            self.description = description
        }

        /// Same kind of problem (the messages may differ).
        public static func == (lhs: Problem, rhs: Problem) -> Bool { lhs.code == rhs.code }

        /// A request failed (connection, timeout, …).
        public static let unreachable = Problem(.unreachable, "a request failed")
        /// A redirect's `Location` is not a URL.
        public static let unusableLocation = Problem(.unusableLocation, "a redirect had no usable Location")
        /// Still redirected after the most redirects allowed.
        public static let tooManyRedirects = Problem(.tooManyRedirects, "too many redirects")
        /// A body is larger than the limit.
        public static let tooLarge = Problem(.tooLarge, "the answer is too large")
        /// A body broke off.
        public static let brokenOff = Problem(.brokenOff, "the download broke off")

        static func unreachable(url: String, reason: String) -> Problem { Problem(.unreachable, "could not fetch \(url): \(reason)") }
        static func unusableLocation(url: String) -> Problem { Problem(.unusableLocation, "\(url) redirected without a usable Location") }
        static func tooManyRedirects(max: Int) -> Problem { Problem(.tooManyRedirects, "more than \(max) redirects") }
        static func tooLarge(url: String, limit: Int) -> Problem { Problem(.tooLarge, "the answer from \(url) is larger than \(limit) bytes") }
        static func brokenOff(url: String, reason: String) -> Problem { Problem(.brokenOff, "the download from \(url) broke off: \(reason)") }
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
