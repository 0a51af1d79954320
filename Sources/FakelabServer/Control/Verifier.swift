import FakelabAPI
import FakelabChecks
import FakelabHTTP

/// `POST /__fakelab/verify`: checks of the check library over a key's journal, for tests:
/// `{"checks": [{"check": "count", "method": "POST", "path": "/v1/images/generations", "min": 1, "max": 1},
///              {"check": "no_poll_after_terminal"}, {"check": "retry_after_respected"}]}`.
/// Any check that reads only traffic works here; a bad check or argument is a 400 naming it.
enum Verifier {
    static func run(_ body: JSONValue, journal: [JournalEntry]) throws(APIError) -> JSONValue {
        guard let checks = body["checks"]?.arrayValue, !checks.isEmpty else {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "checks",
                "Send {\"checks\": [{\"check\": NAME, …}]}; traffic checks: \(CheckRegistry.names.filter { CheckRegistry.all[$0]?.needsClient == false }.joined(separator: ", "))"
            )
        }
        let input = CheckInput(journal: journal)
        var results: [JSONValue] = []
        for (i, check) in checks.enumerated() {
            guard let name = check["check"]?.stringValue, case .object(let arguments) = check else {
                throw .badRequest(code: ErrorCode.invalidValue, param: "checks[\(i)]", "checks[\(i)]: an object with \"check\": NAME")
            }
            do { try CheckRegistry.validate(name: name, arguments: arguments) } catch {
                throw .badRequest(code: ErrorCode.invalidValue, param: "checks[\(i)]", "checks[\(i)]: \(error.description)")
            }
            // A check of what a client did (its exit code, result file, images) has no client here.
            if CheckRegistry.all[name]?.needsClient == true {
                throw .badRequest(
                    code: ErrorCode.invalidValue,
                    param: "checks[\(i)]",
                    "checks[\(i)]: \(name) grades a client run (fakelab conform); /verify judges the journal only"
                )
            }
            let judgement = CheckRegistry.judge(name, arguments, input)
            results.append([
                "check": check, "ok": .bool(judgement.passed), "detail": .string("\(judgement.actual); expected \(judgement.expected)"),
                "requests": .array(judgement.requests.map { .int($0) }),
            ])
        }
        let ok = results.allSatisfy { $0["ok"] == true }
        return ["ok": .bool(ok), "results": .array(results)]
    }
}
