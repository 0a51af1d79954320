import FakelabAPI
import FakelabChecks
import Foundation
import Yams

/// One conformance scenario: the rule it checks, the server behaviour its key gets, the job the
/// client is given, and the checks its behaviour is graded by.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    /// The rule, quoted from the guide or the notes, with its section.
    public var rule: String
    public var tags: [String]
    public var taskPolicy: String?
    /// Where the key's tasks say to poll (`poll_url`): `/v1/tasks/{id}` or `/v1/images/generations/{id}`.
    public var pollPath: String?
    /// Fault rules in the control API's format (`{"fault": …, "route": …, "times": …}`).
    public var faults: [JSONValue]
    /// The job as written for the client (without runner-filled paths).
    public var job: [String: JSONValue]
    public var checks: [CheckSpec]
    /// Seconds the client may run.
    public var timeout: Double
    public var file: String
}

/// A check as a scenario names it: which check of the library, MUST or SHOULD, its arguments.
public struct CheckSpec: Sendable {
    public enum Level: String, Sendable {
        case must = "MUST"
        case should = "SHOULD"
    }
    public var name: String
    public var level: Level
    public var arguments: [String: JSONValue]
}

/// A scenario file that cannot be used, and why.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ file: String, _ reason: String) { description = "\(file): \(reason)" }
}

public enum ScenarioLoader {
    /// Every `*.yaml` / `*.yml` in `folder`, sorted by file name; ids must be unique.
    public static func load(folder: String) throws -> [Scenario] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var seen: Set<String> = []
        return try names.map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let scenario = try parse(text, file: name)
            guard seen.insert(scenario.id).inserted else { throw ScenarioError(name, "duplicate id '\(scenario.id)'") }
            return scenario
        }
    }

    public static func parse(_ yaml: String, file: String) throws -> Scenario {
        let root: JSONValue
        do {
            root = json(try Yams.load(yaml: yaml) as Any)
        } catch {
            throw ScenarioError(file, "not YAML: \(error)")
        }
        guard case .object(let o) = root else { throw ScenarioError(file, "expected a mapping at the top") }
        func string(_ key: String) throws -> String {
            guard let s = o[key]?.stringValue, !s.isEmpty else { throw ScenarioError(file, "'\(key)' (a string) is required") }
            return s
        }
        guard case .object(let job)? = o["job"] else { throw ScenarioError(file, "'job' (a mapping) is required") }
        for key in ["operation", "model"] where job[key]?.stringValue == nil { throw ScenarioError(file, "job.\(key) is required") }
        let server = o["server"]?.objectValue ?? [:]
        // The key's behaviour is checked here, at load: a typo fails this file, not the run.
        if let policy = server["task_policy"] {
            guard let text = policy.stringValue, TaskPolicy(parsing: text) != nil else {
                throw ScenarioError(
                    file,
                    "server.task_policy: '\(policy.serializedString())' is not instant, polls:P,R or duration:P,R (+fail:REASON)"
                )
            }
        }
        if let path = server["poll_path"] {
            guard let text = path.stringValue, PollPath(rawValue: text) != nil else {
                throw ScenarioError(
                    file,
                    "server.poll_path: '\(path.serializedString())' is not \(PollPath.allCases.map(\.rawValue).joined(separator: " or "))"
                )
            }
        }
        for (i, rule) in (server["faults"]?.arrayValue ?? []).enumerated() {
            do { _ = try FaultRule(json: rule) } catch { throw ScenarioError(file, "server.faults[\(i)]: \(error)") }
        }
        let checks = try (o["checks"]?.arrayValue ?? []).enumerated().map { i, item throws -> CheckSpec in
            guard case .object(var args) = item, let name = args.removeValue(forKey: "check")?.stringValue else {
                throw ScenarioError(file, "checks[\(i)] needs 'check: NAME'")
            }
            do { try CheckRegistry.validate(name: name, arguments: args) } catch {
                throw ScenarioError(file, "checks[\(i)]: \(error)")
            }
            let levelText = args.removeValue(forKey: "level")?.stringValue ?? "MUST"
            guard let level = CheckSpec.Level(rawValue: levelText.uppercased()) else {
                throw ScenarioError(file, "checks[\(i)]: level is MUST or SHOULD")
            }
            return CheckSpec(name: name, level: level, arguments: args)
        }
        guard !checks.isEmpty else { throw ScenarioError(file, "at least one check is required") }
        return Scenario(
            id: try string("id"),
            title: try string("title"),
            rule: try string("rule"),
            tags: o["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            taskPolicy: server["task_policy"]?.stringValue,
            pollPath: server["poll_path"]?.stringValue,
            faults: server["faults"]?.arrayValue ?? [],
            job: job,
            checks: checks,
            timeout: o["timeout"]?.doubleValue ?? 60,
            file: file
        )
    }

    /// Yams' `Any` tree as JSON values.
    static func json(_ any: Any) -> JSONValue {
        switch any {
        case let v as Bool: .bool(v)
        case let v as Int: .int(v)
        case let v as Double: .double(v)
        case let v as String: .string(v)
        case let v as [Any]: .array(v.map(json))
        case let v as [String: Any]: .object(v.mapValues(json))
        case let v as [AnyHashable: Any]: .object(Dictionary(v.map { ("\($0.key)", json($0.value)) }, uniquingKeysWith: { a, _ in a }))
        default: .null
        }
    }
}
