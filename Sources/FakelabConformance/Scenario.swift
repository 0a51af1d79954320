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
    /// The key's task timeline (`server.task_policy`), parsed at load.
    public var taskPolicy: TaskPolicy?
    /// Where the key's tasks say to poll (`poll_url`): `/v1/tasks/{id}` or `/v1/images/generations/{id}`.
    public var pollPath: PollPath?
    /// The key's fault rules (`server.faults`), parsed at load; sent as `FaultRule.definition`.
    public var faults: [FaultRule]
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

/// A scenario file that cannot be used, and why (`FILE: reason`). Kinds compare equal whatever
/// their details (`error == .invalidCheck`), as AsyncHTTPClient's `HTTPClientError` does.
public struct ScenarioError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case notYAML, invalid, invalidServer, invalidCheck, duplicateID
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ file: String, _ reason: String) {
        self.code = code
        description = "\(file): \(reason)"
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: ScenarioError, rhs: ScenarioError) -> Bool { lhs.code == rhs.code }

    /// The file is not YAML.
    public static var notYAML: ScenarioError { ScenarioError(.notYAML, "scenario", "not YAML") }
    /// A required key is missing or of the wrong shape, or there are no checks.
    public static var invalid: ScenarioError { ScenarioError(.invalid, "scenario", "not a usable scenario") }
    /// `server.task_policy`, `server.poll_path` or a `server.faults` rule cannot be used.
    public static var invalidServer: ScenarioError { ScenarioError(.invalidServer, "scenario", "the server section cannot be used") }
    /// A check is unknown, takes other arguments, or has a bad level.
    public static var invalidCheck: ScenarioError { ScenarioError(.invalidCheck, "scenario", "a check cannot be run as written") }
    /// Two files of a folder share an id.
    public static var duplicateID: ScenarioError { ScenarioError(.duplicateID, "scenario", "the id is used twice") }

    static func notYAML(_ file: String, _ reason: String) -> ScenarioError { ScenarioError(.notYAML, file, reason) }
    static func invalid(_ file: String, _ reason: String) -> ScenarioError { ScenarioError(.invalid, file, reason) }
    static func invalidServer(_ file: String, _ reason: String) -> ScenarioError { ScenarioError(.invalidServer, file, reason) }
    static func invalidCheck(_ file: String, _ reason: String) -> ScenarioError { ScenarioError(.invalidCheck, file, reason) }
    static func duplicateID(_ file: String, _ id: String) -> ScenarioError { ScenarioError(.duplicateID, file, "duplicate id '\(id)'") }
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
            guard seen.insert(scenario.id).inserted else { throw ScenarioError.duplicateID(name, scenario.id) }
            return scenario
        }
    }

    public static func parse(_ yaml: String, file: String) throws -> Scenario {
        let root: JSONValue
        do {
            root = json(try Yams.load(yaml: yaml) as Any)
        } catch {
            throw ScenarioError.notYAML(file, "not YAML: \(error)")
        }
        guard case .object(let o) = root else { throw ScenarioError.invalid(file, "expected a mapping at the top") }
        func string(_ key: String) throws -> String {
            guard let s = o[key]?.stringValue, !s.isEmpty else { throw ScenarioError.invalid(file, "'\(key)' (a string) is required") }
            return s
        }
        guard case .object(let job)? = o["job"] else { throw ScenarioError.invalid(file, "'job' (a mapping) is required") }
        for key in ["operation", "model"] where job[key]?.stringValue == nil { throw ScenarioError.invalid(file, "job.\(key) is required") }
        let server = try Server(o["server"]?.objectValue ?? [:], file: file)
        let checks = try Self.checks(o["checks"], file: file)
        return Scenario(
            id: try string("id"),
            title: try string("title"),
            rule: try string("rule"),
            tags: o["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            taskPolicy: server.taskPolicy,
            pollPath: server.pollPath,
            faults: server.faults,
            job: job,
            checks: checks,
            timeout: o["timeout"]?.doubleValue ?? 60,
            file: file
        )
    }

    /// The `server` section, checked here, at load: a typo fails this file, not the run.
    struct Server {
        var taskPolicy: TaskPolicy?
        var pollPath: PollPath?
        var faults: [FaultRule] = []

        init(_ server: [String: JSONValue], file: String) throws {
            if let policy = server["task_policy"] {
                guard let text = policy.stringValue, let parsed = TaskPolicy(parsing: text) else {
                    throw ScenarioError.invalidServer(
                        file,
                        "server.task_policy: '\(policy.serializedString())' is not instant, polls:P,R or duration:P,R (+fail:REASON)"
                    )
                }
                taskPolicy = parsed
            }
            if let path = server["poll_path"] {
                guard let text = path.stringValue, let parsed = PollPath(rawValue: text) else {
                    throw ScenarioError.invalidServer(
                        file,
                        "server.poll_path: '\(path.serializedString())' is not \(PollPath.allCases.map(\.rawValue).joined(separator: " or "))"
                    )
                }
                pollPath = parsed
            }
            for (i, rule) in (server["faults"]?.arrayValue ?? []).enumerated() {
                do { faults.append(try FaultRule(json: rule)) } catch { throw ScenarioError.invalidServer(file, "server.faults[\(i)]: \(error)") }
            }
        }
    }

    /// `checks`: each a check of the library with valid arguments and a level; at least one.
    static func checks(_ value: JSONValue?, file: String) throws -> [CheckSpec] {
        let checks = try (value?.arrayValue ?? []).enumerated().map { i, item throws -> CheckSpec in
            guard case .object(var args) = item, let name = args.removeValue(forKey: "check")?.stringValue else {
                throw ScenarioError.invalidCheck(file, "checks[\(i)] needs 'check: NAME'")
            }
            do { try CheckRegistry.validate(name: name, arguments: args) } catch {
                throw ScenarioError.invalidCheck(file, "checks[\(i)]: \(error)")
            }
            let levelText = args.removeValue(forKey: "level")?.stringValue ?? "MUST"
            guard let level = CheckSpec.Level(rawValue: levelText.uppercased()) else {
                throw ScenarioError.invalidCheck(file, "checks[\(i)]: level is MUST or SHOULD")
            }
            return CheckSpec(name: name, level: level, arguments: args)
        }
        guard !checks.isEmpty else { throw ScenarioError.invalid(file, "at least one check is required") }
        return checks
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
