import FakelabAPI

/// `request_sent`: between `min` (default 1) and `max` requests to `route` (default `create`);
/// `equals` sets both. `method` and `path` (`/exact` or `/prefix*`) may stand in for `route`.
///
/// Registered twice: as `request_sent`, and as `count` (the server's `/verify` name), whose
/// defaults are any request and `min` 0.
public struct RequestSentCheck: Check {
    /// `request_sent` or `count`.
    public let name: String
    let defaultRoute: RoutePattern?
    let defaultMinimum: Int

    /// `request_sent`.
    public init() { self.init(name: "request_sent", defaultRoute: .create, defaultMinimum: 1) }

    init(name: String, defaultRoute: RoutePattern?, defaultMinimum: Int) {
        (self.name, self.defaultRoute, self.defaultMinimum) = (name, defaultRoute, defaultMinimum)
    }

    /// `count`, as `POST /__fakelab/verify` has always spelled it.
    public static let count = RequestSentCheck(name: "count", defaultRoute: nil, defaultMinimum: 0)

    public let arguments = [
        CheckArgument("route", .route, "which requests; default create (count: any)"),
        CheckArgument("method", .string, "with or instead of route: the method"),
        CheckArgument("path", .path, "instead of route: /exact or /prefix*"),
        CheckArgument("min", .integer, "at least this many; default 1 (count: 0)"),
        CheckArgument("max", .integer, "at most this many; default unbounded"),
        CheckArgument("equals", .integer, "exactly this many (sets min and max)"),
    ]

    /// `route` and `path` exclude each other; `min` must not exceed `max`.
    public func validate(_ arguments: [String: JSONValue]) throws(CheckError) {
        if arguments["route"] != nil, arguments["path"] != nil {
            throw .invalidValue("path", check: name, "cannot be given with route (route already names the path)")
        }
        let a = Arguments(arguments)
        if let min = a.int("min") ?? a.int("equals"), let max = a.int("max") ?? a.int("equals"), min > max {
            throw .invalidValue("max", check: name, "(\(max)) is below min (\(min))")
        }
    }

    /// The route the arguments name: `route`, or `method` + `path`, or the default.
    func route(_ a: Arguments) -> RoutePattern? {
        if let text = a.string("route"), let route = RoutePattern(text) {
            guard let method = a.string("method") else { return route }
            return RoutePattern(method: method, target: route.target)
        }
        if let path = a.string("path"), let route = RoutePattern(path) {
            return RoutePattern(method: a.string("method"), target: route.target)
        }
        if let method = a.string("method") { return RoutePattern(method: method, target: .prefix("/")) }
        return defaultRoute
    }

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let route = route(a)
        let matching = input.journal.filter { route?.matches($0) ?? true }
        let min = a.int("min") ?? a.int("equals") ?? defaultMinimum
        let max = a.int("max") ?? a.int("equals") ?? Int.max
        let bound = max == Int.max ? "at least \(min)" : "\(min)…\(max)"
        return Judgement(
            passed: matching.count >= min && matching.count <= max,
            expected: "\(bound) request(s) to \(route?.description ?? "any route")",
            actual: "\(matching.count): " + Evidence.describe(matching),
            requests: matching.map(\.seq)
        )
    }
}
