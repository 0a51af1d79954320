import Foundation

/// When to stage a fault: which requests it matches and how often it fires.
///
/// JSON (control API and `--faults FILE`):
/// `{"fault": "rate_limited; retry_after=2", "route": "/v1/images/generations", "method": "POST",
///   "model": "gpt-image-2", "times": 2, "after": 1, "probability": 0.5, "seed": 7}`
/// — every key but `fault` optional. `route` is a path, or a prefix ending in `*`.
public struct FaultRule: Sendable {
    public var fault: FaultSpec
    public var route: String?
    public var method: String?
    public var model: String?
    /// Fires at most this many times, then is spent.
    public var times: Int?
    /// Lets this many matching calls through before it starts firing.
    public var after: Int
    /// Chance of firing on a matching call, drawn from a generator seeded by `seed`.
    public var probability: Double?
    public var seed: UInt64

    // Running state
    public internal(set) var fired = 0
    public internal(set) var passed = 0
    var rng: SplitMix64

    public init(
        fault: FaultSpec,
        route: String? = nil,
        method: String? = nil,
        model: String? = nil,
        times: Int? = nil,
        after: Int = 0,
        probability: Double? = nil,
        seed: UInt64 = 0
    ) {
        self.fault = fault
        self.route = route
        self.method = method?.uppercased()
        self.model = model
        self.times = times
        self.after = after
        self.probability = probability
        self.seed = seed
        self.rng = SplitMix64(seed: seed)
    }

    public init(json: JSONValue) throws(FaultParseError) {
        guard case .object(let o) = json else { throw .invalidRule("a rule must be a JSON object") }
        let known: Set<String> = ["fault", "route", "method", "model", "times", "after", "probability", "seed"]
        if let unknown = o.keys.filter({ !known.contains($0) }).sorted().first {
            throw .invalidRule("unknown rule field '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
        }
        guard let text = o["fault"]?.stringValue else { throw .invalidRule("rule needs \"fault\": \"NAME[; key=value…]\"") }
        func string(_ key: String) throws(FaultParseError) -> String? {
            guard let v = o[key] else { return nil }
            guard let s = v.stringValue else { throw .invalidRule("\(key) must be a string") }
            return s
        }
        func count(_ key: String) throws(FaultParseError) -> Int? {
            guard let v = o[key] else { return nil }
            guard let n = v.intValue, n >= 0 else { throw .invalidRule("\(key) must be a non-negative integer") }
            return n
        }
        var probability: Double?
        if let p = o["probability"] {
            guard let d = p.doubleValue, (0...1).contains(d) else { throw .invalidRule("probability must be a number from 0 to 1") }
            probability = d
        }
        let route = try string("route")
        if let route, !route.hasPrefix("/") { throw .invalidRule("route must start with /") }
        self.init(
            fault: try FaultSpec(parsing: text),
            route: route,
            method: try string("method"),
            model: try string("model"),
            times: try count("times"),
            after: try count("after") ?? 0,
            probability: probability,
            seed: UInt64(try count("seed") ?? 0)
        )
    }

    /// The rule as `init(json:)` reads it: what a scenario sends to a target's control API.
    public var definition: JSONValue {
        var o: [String: JSONValue] = ["fault": .string(fault.description), "after": .int(after), "seed": .int(Int(truncatingIfNeeded: seed))]
        if let route { o["route"] = .string(route) }
        if let method { o["method"] = .string(method) }
        if let model { o["model"] = .string(model) }
        if let times { o["times"] = .int(times) }
        if let probability { o["probability"] = .double(probability) }
        return .object(o)
    }

    /// The definition and how often the rule has fired: what the control API shows.
    public var json: JSONValue {
        guard case .object(var o) = definition else { return definition }
        o["fired"] = .int(fired)
        return .object(o)
    }

    public func matches(path: String, method: String, model: String?) -> Bool {
        if self.model != model { return false }
        if let m = self.method, m != method { return false }
        if let r = route {
            if r.hasSuffix("*") { if !path.hasPrefix(r.dropLast()) { return false } } else if r != path { return false }
        }
        return true
    }

    /// Called for a matching request: whether the fault fires now (and the rule's counters move).
    public mutating func fire() -> Bool {
        if let times, fired >= times { return false }
        if passed < after {
            passed += 1
            return false
        }
        if let probability {
            let draw = Double(rng.next() >> 11) / Double(1 << 53)
            guard draw < probability else { return false }
        }
        fired += 1
        return true
    }
}

extension FaultRule {
    /// Rules from a startup file: `{"rules": [{"fault": "…", …}, …]}` (the control API's format).
    public static func load(contentsOf url: URL) throws(FaultParseError) -> [FaultRule] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadableFile("cannot read \(url.path): \(error.localizedDescription)") }
        let value: JSONValue
        do { value = try JSONValue.parse(Array(data)) } catch { throw .unreadableFile("\(url.path) is not JSON: \(error.reason)") }
        guard let items = value["rules"]?.arrayValue else { throw .unreadableFile("\(url.path) needs {\"rules\": [...]}") }
        var rules: [FaultRule] = []
        for (i, item) in items.enumerated() {
            do { rules.append(try FaultRule(json: item)) } catch { throw .inRule(i, of: url.path, error) }
        }
        return rules
    }
}
