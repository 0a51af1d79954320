import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import FakelabServer

/// `Connection: close` bodies a handler leaves unread are read to their end by the middleware
/// (Hummingbird keeps them buffered forever otherwise: a leak found by scripts/fuzz).
struct UnreadBodyTests {
    /// Chunks handed out, so a test sees how much of the body was pulled from the connection.
    struct CountedChunks: AsyncSequence, Sendable {
        let total: Int
        final class Box: Sendable { let pulled = Mutex(0) }
        let box = Box()
        struct AsyncIterator: AsyncIteratorProtocol {
            let total: Int
            let box: Box
            mutating func next() async -> ByteBuffer? {
                box.pulled.withLock { n in
                    guard n < total else { return nil }
                    n += 1
                    return ByteBuffer(repeating: 0x78, count: 1024)
                }
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(total: total, box: box) }
    }

    func request(connection: String?, chunks: CountedChunks) -> Request {
        var fields: HTTPFields = [.contentLength: String(chunks.total * 1024)]
        if let connection { fields[.connection] = connection }
        return Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/v1/images/edits", headerFields: fields),
            body: RequestBody(asyncSequence: chunks)
        )
    }

    @Test func whatTheHandlerLeftIsDrainedOnClose() async throws {
        let chunks = CountedChunks(total: 50)
        var request = request(connection: "close", chunks: chunks)
        #expect(UnreadBody.applies(to: request))
        let unread = UnreadBody.wrap(&request)
        var handlerSide = request.body.makeAsyncIterator()
        _ = try await handlerSide.next()  // a handler that reads one chunk, then answers
        #expect(chunks.box.pulled.withLock { $0 } == 1)
        await unread.drain(upTo: 1 << 20)
        #expect(chunks.box.pulled.withLock { $0 } == 50, "the rest of the body was read")
    }

    @Test func theDrainStopsAtTheBodyLimit() async throws {
        let chunks = CountedChunks(total: 500)
        var request = request(connection: "close", chunks: chunks)
        #expect(UnreadBody.applies(to: request))
        let unread = UnreadBody.wrap(&request)
        await unread.drain(upTo: 10 * 1024)
        #expect(chunks.box.pulled.withLock { $0 } == 11)
    }

    @Test func keepAliveRequestsAreLeftToHummingbird() {
        #expect(!UnreadBody.applies(to: request(connection: nil, chunks: CountedChunks(total: 1))))
        #expect(!UnreadBody.applies(to: request(connection: "keep-alive", chunks: CountedChunks(total: 1))))
        #expect(!UnreadBody.applies(to: request(connection: "close", chunks: CountedChunks(total: 0))))  // Content-Length: 0
    }
}
