import FakelabAPI
import FakelabChecks
import Foundation

/// The run as people and CI read it: a terminal table, JUnit XML, JSON, and a self-contained HTML page.
public enum Reports {
    public static func progressLine(_ done: Int, _ total: Int, _ run: ScenarioRun) -> String {
        "[\(done)/\(total)] \(run.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(run.scenario.id) (\(String(format: "%.1f", run.seconds)) s)"
    }

    public static func table(_ runs: [ScenarioRun]) -> String {
        let width = max(8, runs.map(\.scenario.id.count).max() ?? 8)
        var lines = ["\("scenario".padding(toLength: width, withPad: " ", startingAt: 0))  verdict     time   failed checks"]
        for r in runs {
            let failed = r.outcomes.filter { !$0.passed }.map { "\($0.check)(\($0.level.rawValue))" }
            let detail = r.notGradable ?? r.errorReason ?? failed.joined(separator: ", ")
            lines.append(
                "\(r.scenario.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(r.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(format: "%5.1f", r.seconds))s  \(detail)"
            )
            if let findings = findingsLine(r.findings) { lines.append(String(repeating: " ", count: width + 2) + findings) }
        }
        lines.append(summary(runs))
        return lines.joined(separator: "\n")
    }

    /// `findings: retry_after_ignored(MUST) #4,#5; no_backoff(SHOULD) #6,#7`, or nil when none.
    public static func findingsLine(_ findings: [Finding]) -> String? {
        guard !findings.isEmpty else { return nil }
        let items = findings.map { f in
            "\(f.finding)(\(f.level.rawValue))" + (f.requests.isEmpty ? "" : " " + f.requests.map { "#\($0)" }.joined(separator: ","))
        }
        return "findings: " + items.joined(separator: "; ")
    }

    /// True when no scenario was graded: every one was SKIP (the target could stage none of
    /// them). `fakelab conform` then exits 2: no verdict, neither a pass nor a failure.
    public static func nothingGraded(_ runs: [ScenarioRun]) -> Bool { runs.allSatisfy { $0.verdict == .skip } }

    public static func summary(_ runs: [ScenarioRun]) -> String {
        let counts = Dictionary(grouping: runs, by: \.verdict).mapValues(\.count)
        // SKIP (not gradable on this target) is left out of the pass rate, and named only when there is one.
        let skipped = counts[.skip, default: 0]
        let graded = runs.count - skipped
        guard graded > 0 else {
            return "\(runs.count) scenarios: none graded (\(skipped) SKIP: this target cannot stage them); no verdict"
        }
        let pct = Double(counts[.pass, default: 0]) * 100 / Double(graded)
        let skips = skipped == 0 ? "" : ", \(skipped) SKIP"
        return
            "\(runs.count) scenarios: \(counts[.pass, default: 0]) PASS, \(counts[.nonStrict, default: 0]) NON-STRICT, \(counts[.fail, default: 0]) FAIL, \(counts[.error, default: 0]) ERROR\(skips) (\(String(format: "%.0f", pct))% pass)"
    }

    public static func json(_ runs: [ScenarioRun], client: String) -> JSONValue {
        [
            "protocol": .string(ConformanceRunner.protocolVersion), "client": .string(client), "summary": .string(summary(runs)),
            "scenarios": .array(
                runs.map { r in
                    var o: [String: JSONValue] = [
                        "id": .string(r.scenario.id), "title": .string(r.scenario.title), "rule": .string(r.scenario.rule),
                        "tags": .array(r.scenario.tags.map(JSONValue.string)), "verdict": .string(r.verdict.rawValue),
                        "seconds": .double((r.seconds * 100).rounded() / 100), "exit_code": r.exitCode.map { .int(Int($0)) } ?? .null,
                        "checks": .array(r.outcomes.map(\.json)),
                        "findings": .array(r.findings.map(\.json)),
                        "requests": .array(r.entries.map(Self.timelineItem)),
                        "images": .array(
                            r.images.map { i in
                                [
                                    "source": .string(i.source), "format": i.format.map(JSONValue.string) ?? .null,
                                    "width": i.width.map(JSONValue.int) ?? .null, "height": i.height.map(JSONValue.int) ?? .null,
                                    "problem": i.problem.map(JSONValue.string) ?? .null,
                                ]
                            }
                        ),
                    ]
                    if let e = r.errorReason { o["error"] = .string(e) }
                    if let reason = r.notGradable { o["not_gradable"] = .string(reason) }
                    // A client may echo its key (or any key) into the result file; the report never
                    // carries one: the run's key is replaced, other token-shaped strings masked.
                    if let result = r.result {
                        let text = Secrets.maskTokens(in: result.serializedString().replacingOccurrences(of: r.apiKey, with: Secrets.placeholder))
                        o["result"] = (try? JSONValue.parse(Array(text.utf8))) ?? .null
                    }
                    return .object(o)
                }
            ),
        ]
    }

    public static let checksProtocol = "fakelab-checks/1"

    /// `checks.json`: per scenario its verdict, every check and the traffic findings, with
    /// stable field names for tools (`{"protocol": "fakelab-checks/1", "client", "scenarios":
    /// [{"id", "verdict", "checks": [{"check", "level", "passed", "expected", "actual"}],
    /// "findings": [{"finding", "level", "message", "requests", "advice"}]}]}`).
    public static func checksJSON(_ runs: [ScenarioRun], client: String) -> JSONValue {
        [
            "protocol": .string(checksProtocol), "client": .string(client),
            "scenarios": .array(
                runs.map { r in
                    [
                        "id": .string(r.scenario.id), "verdict": .string(r.verdict.rawValue), "checks": .array(r.outcomes.map(\.json)),
                        "findings": .array(r.findings.map(\.json)),
                    ]
                }
            ),
        ]
    }

    /// One request of the JSON report's timeline: `seq`, `time`, `method`, `path`, `status`
    /// (null while in flight), `request_id`, and when there were `fault`, `error_type`,
    /// `error_code` (the envelope's `code` only, never its type), `error_param`, `task_status`,
    /// `retry_after`.
    static func timelineItem(_ e: JournalEntry) -> JSONValue {
        var o: [String: JSONValue] = [
            "seq": .int(e.seq), "time": .double(e.time), "method": .string(e.method), "path": .string(e.path),
            "status": e.status.map(JSONValue.int) ?? .null, "request_id": .string(e.requestID),
        ]
        let optional: [(String, JSONValue?)] = [
            ("fault", e.fault.map(JSONValue.string)), ("error_type", e.error?.type.map(JSONValue.string)),
            ("error_code", e.error?.code.map(JSONValue.string)),
            ("error_param", e.error?.param.map(JSONValue.string)), ("task_status", e.taskStatus.map(JSONValue.string)),
            ("retry_after", e.retryAfter.map(JSONValue.double)),
        ]
        for case (let key, let value?) in optional { o[key] = value }
        return .object(o)
    }

    public static func junit(_ runs: [ScenarioRun], client: String) -> String {
        let failures = runs.filter { $0.verdict == .fail }.count
        let errors = runs.filter { $0.verdict == .error }.count
        let skipped = runs.filter { $0.verdict == .skip }.count
        let skippedAttribute = skipped == 0 ? "" : #" skipped="\#(skipped)""#
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<testsuites name="fakelab conform" tests="\#(runs.count)" failures="\#(failures)" errors="\#(errors)"\#(skippedAttribute)>"# + "\n"
        x +=
            #"  <testsuite name="\#(xml(client))" tests="\#(runs.count)" failures="\#(failures)" errors="\#(errors)"\#(skippedAttribute) time="\#(String(format: "%.2f", runs.map(\.seconds).reduce(0, +)))">"#
            + "\n"
        for r in runs {
            x +=
                #"    <testcase classname="conformance" name="\#(xml(r.scenario.id)): \#(xml(r.scenario.title))" time="\#(String(format: "%.2f", r.seconds))">"#
                + "\n"
            let failed = r.outcomes.filter { !$0.passed }
            let evidence = failed.map { "[\($0.level.rawValue)] \($0.check): expected \($0.expected); got \($0.actual)" }.joined(separator: "\n")
            switch r.verdict {
            case .error: x += #"      <error message="\#(xml(r.errorReason ?? "error"))">\#(xml(evidence))</error>"# + "\n"
            case .fail:
                x +=
                    #"      <failure message="\#(xml(failed.filter { $0.level == .must }.map(\.check).joined(separator: ", ")))">\#(xml(evidence))</failure>"#
                    + "\n"
            case .nonStrict: x += #"      <system-out>NON-STRICT (SHOULD failed)&#10;\#(xml(evidence))</system-out>"# + "\n"
            case .skip: x += #"      <skipped message="\#(xml(r.notGradable ?? "not gradable on this target"))"/>"# + "\n"
            case .pass: break
            }
            x += "    </testcase>\n"
        }
        return x + "  </testsuite>\n</testsuites>\n"
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            default: if c.value >= 0x20 || c == "\t" { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}

extension CheckOutcome {
    /// `{"check", "level", "passed", "expected", "actual"}` (JSON report and `checks.json`).
    public var json: JSONValue {
        [
            "check": .string(check), "level": .string(level.rawValue), "passed": .bool(passed), "expected": .string(expected),
            "actual": .string(actual),
        ]
    }
}
