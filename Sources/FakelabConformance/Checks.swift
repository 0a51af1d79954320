import FakelabAPI

/// The named checks scenarios compose. Each reads the journal of what the client sent (as the
/// fake saw it), its result file, exit code, output and saved images, and says what it expected
/// and what came, naming the request (`#seq METHOD path → status`).
public enum Checks {
    public static let names: Set<String> = [
        "exit_code", "result_status", "result_field", "result_request_id", "request_sent", "no_request", "max_creates",
        "field_present", "field_absent", "field_equals", "body_kind", "polled_task", "polls_use_poll_url",
        "no_request_after_terminal", "retry_gap", "finished_within", "output_images", "secret_not_in_output",
    ]

    public static func evaluate(_ spec: CheckSpec, _ run: ScenarioRun) -> CheckOutcome {
        let (passed, expected, actual) = judge(spec.name, spec.arguments, run)
        return CheckOutcome(check: spec.name, level: spec.level, passed: passed, expected: expected, actual: actual)
    }

    static let terminal: Set<String> = ["completed", "succeeded", "failed", "cancelled", "canceled", "expired"]

    static func judge(_ name: String, _ a: [String: JSONValue], _ run: ScenarioRun) -> (Bool, String, String) {
        let route = Route(a["route"]?.stringValue ?? "create")
        let matching = run.journal.filter(route.matches)
        switch name {
        case "exit_code":
            let code = run.exitCode.map(String.init) ?? "none"
            if a["nonzero"]?.boolValue == true { return (run.exitCode.map { $0 != 0 } ?? false, "a non-zero exit status", "exit \(code)") }
            let want = a["equals"]?.intValue ?? 0
            return (run.exitCode == Int32(want), "exit \(want)", "exit \(code)")
        case "result_status":
            let want = a["equals"]?.stringValue ?? "succeeded"
            let got = run.result?["status"]?.stringValue
            return (got == want, "result status \"\(want)\"", got.map { "\"\($0)\"" } ?? (run.resultProblem ?? "no status"))
        case "result_field":
            let field = a["field"]?.stringValue ?? ""
            let got = lookup(run.result, field)
            if let want = a["equals"] {
                return (got == want, "\(field) = \(want.serializedString())", got?.serializedString() ?? "absent")
            }
            return (got != nil && got != .null, "\(field) present in the result file", got?.serializedString() ?? "absent")
        case "result_request_id":
            let got = run.result?["request_id"]?.stringValue
            let ids = Set(run.journal.compactMap { $0["request_id"]?.stringValue })
            return (got.map(ids.contains) ?? false, "request_id of a request the client made (X-Request-ID)", got ?? "absent")
        case "request_sent":
            let min = a["min"]?.intValue ?? 1
            let max = a["max"]?.intValue ?? Int.max
            let bound = max == Int.max ? "at least \(min)" : "\(min)…\(max)"
            return ((min...max).contains(matching.count), "\(bound) request(s) to \(route)", "\(matching.count): " + describe(matching))
        case "no_request":
            return (matching.isEmpty, "no request to \(route)", matching.isEmpty ? "none" : describe(matching))
        case "max_creates":
            let creates = run.journal.filter(Route("create").matches)
            let max = a["count"]?.intValue ?? 1
            return (creates.count <= max, "at most \(max) create request(s)", "\(creates.count): " + describe(creates))
        case "field_present", "field_absent":
            let field = a["field"]?.stringValue ?? ""
            let having = matching.filter { fields($0).contains(field) }
            if name == "field_absent" {
                return (
                    having.isEmpty, "no request to \(route) carries `\(field)`",
                    having.isEmpty ? "absent in \(matching.count) request(s)" : "sent in " + describe(having)
                )
            }
            let lacking = matching.filter { !fields($0).contains(field) }
            return (
                !matching.isEmpty && lacking.isEmpty, "every request to \(route) carries `\(field)`",
                matching.isEmpty ? "no request to \(route)" : lacking.isEmpty ? "present in \(matching.count)" : "missing in " + describe(lacking)
            )
        case "field_equals":
            let field = a["field"]?.stringValue ?? ""
            let want = a["value"] ?? .null
            let wrong = matching.filter { values($0)[field] != want }
            return (
                !matching.isEmpty && wrong.isEmpty, "`\(field)` = \(want.serializedString()) on \(route)",
                matching.isEmpty
                    ? "no request"
                    : wrong.isEmpty
                        ? "as expected" : wrong.map { "\(label($0)): \(values($0)[field]?.serializedString() ?? "absent")" }.joined(separator: "; ")
            )
        case "body_kind":
            let want = a["kind"]?.stringValue ?? "multipart"
            let wrong = matching.filter { kind($0) != want }
            return (
                !matching.isEmpty && wrong.isEmpty, "\(want) bodies on \(route)",
                matching.isEmpty
                    ? "no request" : wrong.isEmpty ? "\(matching.count) \(want)" : wrong.map { "\(label($0)): \(kind($0))" }.joined(separator: "; ")
            )
        case "polled_task":
            let polls = run.journal.filter { Route("poll").matches($0) && $0["task_id"]?.stringValue != nil }
            let min = a["min"]?.intValue ?? 1
            return (polls.count >= min, "at least \(min) status read(s) of the task", "\(polls.count): " + describe(polls))
        case "polls_use_poll_url":
            let polls = run.journal.filter(Route("poll").matches)
            let off = polls.filter { p in p["path"]?.stringValue != "/v1/tasks/" + (p["task_id"]?.stringValue ?? "?") }
            return (
                !polls.isEmpty && off.isEmpty, "every status read goes to the poll_url (/v1/tasks/{id})",
                polls.isEmpty ? "no status reads" : off.isEmpty ? "\(polls.count) via poll_url" : "elsewhere: " + describe(off)
            )
        case "no_request_after_terminal":
            guard let end = run.journal.firstIndex(where: { terminal.contains($0["task_status"]?.stringValue ?? "") }) else {
                return (true, "no status read after a terminal status", "no terminal status was read")
            }
            let task = run.journal[end]["task_id"]?.stringValue
            let after = run.journal[(end + 1)...].filter { $0["task_id"]?.stringValue == task && Route("poll").matches($0) }
            return (
                after.isEmpty, "no status read after \(label(run.journal[end])) returned \(run.journal[end]["task_status"]?.stringValue ?? "")",
                after.isEmpty ? "none" : describe(Array(after))
            )
        case "retry_gap":
            let min = a["min_seconds"]?.doubleValue ?? 1
            guard matching.count >= 2 else {
                return (false, "a retry of \(route) at least \(min) s after the previous attempt", "\(matching.count) request(s): no retry")
            }
            let gaps = zip(matching, matching.dropFirst()).map { ($1["time"]?.doubleValue ?? 0) - ($0["time"]?.doubleValue ?? 0) }
            let short = gaps.enumerated().filter { $0.element + 0.05 < min }
            return (
                short.isEmpty, "every retry of \(route) ≥ \(min) s after the previous attempt",
                "gaps " + gaps.map { String(format: "%.2f s", $0) }.joined(separator: ", ") + (short.isEmpty ? "" : " (too short: \(short.count))")
            )
        case "finished_within":
            let max = a["seconds"]?.doubleValue ?? 30
            return (
                !run.timedOut && run.seconds <= max, "the client finishes within \(Int(max)) s",
                run.timedOut ? "timed out" : String(format: "%.1f s", run.seconds)
            )
        case "output_images":
            return images(a, run)
        case "secret_not_in_output":
            let places = [("stdout", run.stdout), ("stderr", run.stderr), ("result file", run.result?.serializedString() ?? "")]
            let leaks = places.filter { $0.1.contains(run.apiKey) }.map(\.0)
            return (leaks.isEmpty, "the API key appears in no output", leaks.isEmpty ? "not found" : "printed to " + leaks.joined(separator: ", "))
        default:
            return (false, "a known check", "unknown check \(name)")
        }
    }

    static func images(_ a: [String: JSONValue], _ run: ScenarioRun) -> (Bool, String, String) {
        var want: [String] = []
        let count = a["count"]?.intValue ?? 1
        want.append("\(count) image(s)")
        if let f = a["format"]?.stringValue { want.append(f) }
        if let w = a["width"]?.intValue, let h = a["height"]?.intValue { want.append("\(w)x\(h)") }
        let got = run.images.map { i in i.problem ?? "\(i.format ?? "?") \(i.width ?? 0)x\(i.height ?? 0)" }
        let good = run.images.filter { i in
            i.problem == nil && (a["format"]?.stringValue.map { $0 == i.format } ?? true)
                && (a["width"]?.intValue.map { $0 == i.width } ?? true) && (a["height"]?.intValue.map { $0 == i.height } ?? true)
        }
        return (
            run.images.count == count && good.count == count, want.joined(separator: ", ") + ", decodable",
            got.isEmpty ? "no images" : got.joined(separator: "; ")
        )
    }

    /// Fields of a journaled body: JSON members and multipart part names (`image[]` counts as `image`).
    static func fields(_ entry: JSONValue) -> Set<String> {
        var out = Set(values(entry).keys)
        for f in entry["body"]?["files"]?.arrayValue ?? [] {
            if let n = f["name"]?.stringValue {
                out.insert(n)
                out.insert(n.replacingOccurrences(of: "[]", with: ""))
            }
        }
        return out
    }

    /// The journal keeps a JSON body's members as they came, and a multipart body as
    /// `{"fields": {…}, "files": […]}`.
    static func values(_ entry: JSONValue) -> [String: JSONValue] {
        guard let body = entry["body"]?.objectValue else { return [:] }
        if body["files"]?.arrayValue != nil, let fields = body["fields"]?.objectValue { return fields }
        return body
    }

    static func kind(_ entry: JSONValue) -> String {
        let type = entry["headers"]?["content-type"]?.stringValue ?? ""
        return type.hasPrefix("multipart/") ? "multipart" : type.contains("json") ? "json" : (type.isEmpty ? "empty" : type)
    }

    static func lookup(_ value: JSONValue?, _ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(value) { v, k in v?[String(k)] }
    }

    static func label(_ e: JSONValue) -> String {
        "#\(e["seq"]?.intValue ?? 0) \(e["method"]?.stringValue ?? "") \(e["path"]?.stringValue ?? "") → \(status(e))"
    }

    /// The answer's status, or "no answer" for a request still in flight when the client stopped.
    static func status(_ e: JSONValue) -> String { e["status"]?.intValue.map(String.init) ?? "no answer" }

    static func describe(_ entries: [JSONValue]) -> String {
        entries.isEmpty ? "none" : entries.prefix(4).map(label).joined(separator: "; ") + (entries.count > 4 ? "; …" : "")
    }
}

/// `METHOD /path` (a trailing `*` matches a prefix), or `create` (any image create route) or `poll`.
struct Route: CustomStringConvertible {
    let method: String?
    let path: String
    init(_ text: String) {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        (method, path) = parts.count == 2 ? (parts[0].uppercased(), parts[1]) : (nil, parts[0])
    }
    var description: String { method.map { "\($0) \(path)" } ?? path }

    func matches(_ e: JSONValue) -> Bool {
        let m = e["method"]?.stringValue ?? ""
        let p = e["path"]?.stringValue ?? ""
        switch path {
        case "create": return m == "POST" && ["/v1/images/generations", "/v1/images/edits", "/v1/images/variations"].contains(p)
        case "poll":
            // The three status routes: /v1/tasks/{id}, /v1/images/generations/{id}, /v1/images/{id}.
            let segments = p.split(separator: "/")
            return m == "GET"
                && (p.hasPrefix("/v1/tasks/") || p.hasPrefix("/v1/images/generations/")
                    || (segments.count == 3 && segments[1] == "images" && !["generations", "edits", "variations"].contains(segments[2])))
        default:
            if let method, method != m { return false }
            return path.hasSuffix("*") ? p.hasPrefix(path.dropLast()) : p == path
        }
    }
}
