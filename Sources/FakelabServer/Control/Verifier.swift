import FakelabAPI
import FakelabHTTP

/// Assertions over a key's journal, for tests: `POST /__fakelab/verify` with
/// `{"checks": [{"check": "count", "method": "POST", "path": "/v1/images/generations", "min": 1, "max": 1},
///              {"check": "no_poll_after_terminal"}, {"check": "retry_after_respected"}]}`.
enum Verifier {
    static func run(_ body: JSONValue, journal: [JournalEntry]) throws(APIError) -> JSONValue {
        guard let checks = body["checks"]?.arrayValue, !checks.isEmpty else {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "checks",
                "Send {\"checks\": [{\"check\": \"count\" | \"no_poll_after_terminal\" | \"retry_after_respected\", …}]}"
            )
        }
        var results: [JSONValue] = []
        for (i, check) in checks.enumerated() {
            let (ok, detail) = try evaluate(check, journal, index: i)
            results.append(["check": check, "ok": .bool(ok), "detail": .string(detail)])
        }
        let ok = results.allSatisfy { $0["ok"] == true }
        return ["ok": .bool(ok), "results": .array(results)]
    }

    private static func evaluate(_ check: JSONValue, _ journal: [JournalEntry], index i: Int) throws(APIError) -> (Bool, String) {
        switch check["check"]?.stringValue {
        case "count":
            let matching = journal.filter { e in
                (check["method"]?.stringValue.map { $0.uppercased() == e.method } ?? true)
                    && (check["path"]?.stringValue.map { p in p.hasSuffix("*") ? e.path.hasPrefix(p.dropLast()) : e.path == p } ?? true)
            }
            let n = matching.count
            let min = check["min"]?.intValue ?? check["equals"]?.intValue ?? 0
            let max = check["max"]?.intValue ?? check["equals"]?.intValue ?? Int.max
            return (n >= min && n <= max, "\(n) matching request\(n == 1 ? "" : "s"); expected \(min)…\(max == Int.max ? "∞" : String(max))")
        case "no_poll_after_terminal":
            var terminal: [String: Int] = [:]
            for e in journal where e.method == "GET" {
                guard let id = e.taskID else { continue }
                if let seq = terminal[id] {
                    return (false, "request \(e.seq) polled \(id) after request \(seq) had returned its terminal status")
                }
                if e.taskStatus == "completed" || e.taskStatus == "failed" { terminal[id] = e.seq }
            }
            return (true, "no task was polled after a terminal status (\(terminal.count) task\(terminal.count == 1 ? "" : "s") finished)")
        case "retry_after_respected":
            for (n, e) in journal.enumerated() {
                guard let wait = e.retryAfter else { continue }
                guard let next = journal[(n + 1)...].first(where: { $0.method == e.method && $0.path == e.path }) else { continue }
                let gap = next.time - e.time
                if gap + 0.05 < wait {
                    return (
                        false,
                        "request \(next.seq) came \(String(format: "%.2f", gap)) s after request \(e.seq), which said Retry-After \(Int(wait)) s"
                    )
                }
            }
            return (true, "every retry waited at least Retry-After")
        default:
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "checks[\(i)]",
                "checks[\(i)]: unknown check; use count, no_poll_after_terminal or retry_after_respected"
            )
        }
    }
}
