import FakelabAPI
import FakelabTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FakelabServer

/// The journal middleware's own rules, with the middleware alone in front of a route.
@Suite struct JournalMiddlewareTests {
    /// A request cancelled inside (the client went away, the server shut down) still completes
    /// its entry: 499, nginx's "client closed request", never an entry left in flight.
    @Test(arguments: [false, true])
    func aCancelledRequestIsJournaledAs499(cancelled: Bool) async throws {
        let state = ServerServices(try testConfiguration())
        let router = Router(context: FakelabContext.self)
        router.addMiddleware {
            AuthMiddleware()
            JournalMiddleware(state: state)
        }
        router.post("/v1/images/generations") { _, _ -> Response in
            if cancelled { throw CancellationError() }
            return Response(status: .accepted)
        }
        try await Application(router: router).test(.router) { client in
            _ = try await client.execute(uri: "/v1/images/generations", method: .post, headers: [.authorization: "Bearer \(testKey)"])
        }
        let key = try #require(APIKey(authorization: "Bearer \(testKey)"))
        let statuses = state.tenants.with(key) { $0.journal.elements.map(\.status) }
        #expect(statuses == [cancelled ? 499 : 202])
    }
}
