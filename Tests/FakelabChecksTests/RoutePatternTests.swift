import FakelabAPI
import Testing

@Suite struct RoutePatternTests {
    @Test(arguments: [
        ("create", "POST", "/v1/images/generations", true),
        ("create", "POST", "/v1/images/edits", true),
        ("create", "POST", "/v1/images/variations", true),
        ("create", "GET", "/v1/images/generations", false),
        ("create", "POST", "/v1/files", false),
        ("poll", "GET", "/v1/tasks/t1", true),
        ("poll", "GET", "/v1/images/generations/t1", true),
        ("poll", "GET", "/v1/images/t1", true),
        ("poll", "GET", "/v1/images/edits", false),
        ("poll", "DELETE", "/v1/tasks/t1", false),
        ("poll", "GET", "/v1/tasks", false),
        ("poll", "GET", "/v1/tasks/", false),
        ("poll", "GET", "/v1/tasks/t1/result", false),
        ("poll", "GET", "/v1/images/variations", false),
        ("poll", "GET", "/v1/images/edits/", false),
        ("poll", "GET", "/v1/tasks/t1/", true),
        ("poll", "GET", "/v1//tasks/t1", true),
        ("/v1/models", "GET", "/v1/models", true),
        ("/v1/models", "GET", "/v1/models/m", false),
        ("/v1/models*", "GET", "/v1/models/m", true),
        ("GET /v1/models*", "POST", "/v1/models/m", false),
        ("get /v1/models", "GET", "/v1/models", true),
        ("POST /v1/images/*", "POST", "/v1/images/edits", true),
    ])
    func matches(_ pattern: String, _ method: String, _ path: String, _ expected: Bool) throws {
        let route = try #require(RoutePattern(pattern))
        #expect(route.matches(method: method, path: path) == expected)
    }

    @Test(arguments: ["", "v1/models", "GET v1/models", "GET /a /b", "G3T /a", "creat"])
    func refusesWhatIsNoRoute(_ text: String) {
        #expect(RoutePattern(text) == nil)
    }

    @Test(arguments: ["create", "poll", "/v1/models", "/v1/tasks/*", "GET /v1/models", "POST create"])
    func describesItselfInTheTextItReads(_ text: String) throws {
        #expect(try #require(RoutePattern(text)).description == text)
    }

    @Test func aliasesAreTheNamedConstants() {
        #expect(RoutePattern("create") == .create)
        #expect(RoutePattern("poll") == .poll)
        #expect(RoutePattern("/v1/tasks/*")?.target == .prefix("/v1/tasks/"))
    }
}
