/// Which requests a rule or check means, in the one text form every part uses:
/// `METHOD /path` or `/path` (any method), a trailing `*` matching a prefix (`/v1/tasks/*`), or
/// the aliases `create` (POST to any of the three image create routes) and `poll` (GET of any of
/// the three task status routes).
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    /// What the path part matches.
    public enum Target: Sendable, Hashable {
        case exact(String)
        case prefix(String)
        /// POST `/v1/images/generations`, `/v1/images/edits` or `/v1/images/variations`.
        case create
        /// GET `/v1/tasks/{id}`, `/v1/images/generations/{id}` or `/v1/images/{id}`.
        case poll
    }

    /// Upper-cased; nil matches any method.
    public let method: String?
    /// What the path part matches.
    public let target: Target

    /// The three image create routes.
    public static let createPaths = Set(Endpoint.allCases.map(\.rawValue))
    /// Any image create request.
    public static let create = RoutePattern(method: nil, target: .create)
    /// Any task status read.
    public static let poll = RoutePattern(method: nil, target: .poll)

    /// A pattern from its parts; `method` is upper-cased, nil for any.
    public init(method: String?, target: Target) {
        self.method = method?.uppercased()
        self.target = target
    }

    /// Parses the text form; nil when it is none of the forms above (empty, a path without
    /// `/`, or more than a method and a path).
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 1:
            guard let target = Self.target(parts[0]) else { return nil }
            self.init(method: nil, target: target)
        case 2:
            guard parts[0].allSatisfy({ $0.isLetter }), let target = Self.target(parts[1]) else { return nil }
            self.init(method: parts[0], target: target)
        default:
            return nil
        }
    }

    private static func target(_ text: String) -> Target? {
        switch text {
        case "create": return .create
        case "poll": return .poll
        case _ where text.hasPrefix("/") && text.hasSuffix("*"): return .prefix(String(text.dropLast()))
        case _ where text.hasPrefix("/"): return .exact(text)
        default: return nil
        }
    }

    /// The text form, as `init(_:)` reads it.
    public var description: String {
        let path: String
        switch target {
        case .exact(let p): path = p
        case .prefix(let p): path = p + "*"
        case .create: path = "create"
        case .poll: path = "poll"
        }
        return method.map { "\($0) \(path)" } ?? path
    }

    /// Whether a request with this method and path (no query) is one the pattern means.
    public func matches(method requestMethod: String, path: String) -> Bool {
        if let method, method != requestMethod.uppercased() { return false }
        switch target {
        case .exact(let p): return path == p
        case .prefix(let p): return path.hasPrefix(p)
        case .create: return requestMethod.uppercased() == "POST" && Self.createPaths.contains(path)
        case .poll: return requestMethod.uppercased() == "GET" && Self.isStatusPath(path)
        }
    }

    /// Whether the journaled request is one the pattern means.
    public func matches(_ entry: JournalEntry) -> Bool { matches(method: entry.method, path: entry.path) }

    /// A path of one of `PollPath.statusRoutes` (not a create route), its empty segments
    /// dropped as the router drops them (`/v1/tasks/t1/` and `/v1//tasks/t1` are status reads).
    public static func isStatusPath(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        guard !createSegments.contains(where: { $0.elementsEqual(segments) }) else { return false }
        return statusRouteSegments.contains { route in
            route.count == segments.count && zip(route, segments).allSatisfy { part, segment in part == "{id}" || part == segment }
        }
    }

    /// The routes' segments, split once.
    private static let statusRouteSegments = PollPath.statusRoutes.map { $0.split(separator: "/") }
    private static let createSegments = createPaths.map { $0.split(separator: "/") }
}
