import HTTPTypes
import Hummingbird
import NIOCore

/// What a `Connection: close` request leaves of its body unread, drained after the answer.
///
/// Hummingbird 2.28 drains an unread body itself on keep-alive connections, but on
/// `Connection: close` it answers and waits for the peer to hang up without reading the rest,
/// and what NIO had buffered of it is never freed: ~0.4 MB per 1.6 MB body refused unread, RSS
/// growing without bound (found by the fuzz corpus). Shutting the input instead makes Linux
/// reset the connection before the client reads the answer. So such a request's body is read
/// through one shared iterator, and whatever the handler left is read to its end (up to the
/// body limit) before the answer goes out. Keep-alive requests are not wrapped.
final class UnreadBody: @unchecked Sendable {
    // One reader at a time by construction: the handler, then the middleware after it returned.
    private var iterator: RequestBody.AsyncIterator
    private var finished = false

    private init(_ body: RequestBody) { iterator = body.makeAsyncIterator() }

    /// Whether `request` is a `Connection: close` request with a body: the ones to `wrap`.
    /// Asked before the request is copied (a copy retains all it holds): most are keep-alive.
    static func applies(to request: Request) -> Bool {
        request.headers.value(.connection)?.lowercased() == "close"
            && (request.headers.value(.contentLength).map { $0 != "0" } ?? (request.headers.value(.transferEncoding) != nil))
    }

    /// Wraps the body of a request `applies(to:)` accepted.
    static func wrap(_ request: inout Request) -> UnreadBody {
        let shared = UnreadBody(request.body)
        request.body = RequestBody(asyncSequence: Sequence(shared: shared))
        return shared
    }

    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        var current = iterator
        let chunk = try await current.next()
        iterator = current
        if chunk == nil { finished = true }
        return chunk
    }

    func drain(upTo limit: Int) async {
        var read = 0
        while read <= limit, let chunk = try? await next() { read += chunk.readableBytes }
    }

    struct Sequence: AsyncSequence, Sendable {
        let shared: UnreadBody
        struct AsyncIterator: AsyncIteratorProtocol {
            let shared: UnreadBody
            func next() async throws -> ByteBuffer? { try await shared.next() }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(shared: shared) }
    }
}
