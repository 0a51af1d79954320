import FakelabAPI

/// Every check by name, and the validation of a check as a scenario or `/verify` body names it.
/// Adding a check: a file in `Checks/` with a `Check` value, and one line in `checks` here.
public enum CheckRegistry {
    /// One value per check, under its own name.
    static let checks: [any Check] = [
        ExitCodeCheck(), ResultStatusCheck(), ResultFieldCheck(), ResultRequestIDCheck(), RequestSentCheck(), NoRequestCheck(),
        MaxCreatesCheck(), FieldPresentCheck(), FieldAbsentCheck(), FieldEqualsCheck(), BodyKindCheck(), PolledTaskCheck(),
        PollsUsePollURLCheck(), NoRequestAfterTerminalCheck(), RetryGapCheck(), FinishedWithinCheck(), OutputImagesCheck(),
        SecretNotInOutputCheck(), RequestSentCheck.count, RetryAfterRespectedCheck(),
    ]

    /// Old names that keep working: the server's `/verify` spelled this check so.
    public static let aliases: [String: String] = ["no_poll_after_terminal": "no_request_after_terminal"]

    /// Every check by name, aliases included.
    public static let all: [String: any Check] = {
        var out = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
        for (alias, target) in aliases { out[alias] = out[target] }
        return out
    }()

    /// Every name a check can be given by, sorted.
    public static var names: [String] { all.keys.sorted() }

    /// Keys a scenario or `/verify` check object carries beside the arguments; never an argument.
    public static let reservedKeys: Set<String> = ["check", "level"]

    /// Throws when `name` is no check, or an argument is unknown to it, of the wrong JSON type
    /// or an unusable value (a route that does not parse). Arguments are checked in name order,
    /// so the error is the same every time.
    public static func validate(name: String, arguments: [String: JSONValue]) throws(CheckError) {
        guard let check = all[name] else { throw .unknownCheck(name, known: names) }
        let specs = Dictionary(uniqueKeysWithValues: check.arguments.map { ($0.name, $0) })
        for key in arguments.keys.sorted() where !reservedKeys.contains(key) {
            guard let spec = specs[key] else { throw .unknownArgument(key, check: name, takes: check.arguments) }
            let value = arguments[key]!
            guard spec.kind.accepts(value) else { throw .wrongType(spec, check: name, got: value) }
            if spec.kind == .route, RoutePattern(value.stringValue!) == nil {
                throw .invalidValue(key, check: name, "'\(value.stringValue!)' is not a route (METHOD /path, /prefix*, create or poll)")
            }
            if spec.kind == .path, !(value.stringValue!.hasPrefix("/")) {
                throw .invalidValue(key, check: name, "'\(value.stringValue!)' is not a path (/exact or /prefix*)")
            }
        }
        try check.validate(arguments)
    }

    /// Judges one named check; an unknown name fails with that as its evidence (validate first
    /// to fail at load instead).
    public static func judge(_ name: String, _ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        guard let check = all[name] else { return Judgement(passed: false, expected: "a known check", actual: "unknown check \(name)") }
        return check.judge(arguments, input)
    }
}
