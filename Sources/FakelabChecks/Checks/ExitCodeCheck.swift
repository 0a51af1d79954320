import FakelabAPI

/// `exit_code`: the client exited with `equals` (default 0), or with any non-zero status when `nonzero: true`.
public struct ExitCodeCheck: Check {
    public init() {}
    public let name = "exit_code"
    public let needsClient = true
    public let arguments = [
        CheckArgument("equals", .integer, "the exit status expected; default 0"),
        CheckArgument("nonzero", .boolean, "true: any non-zero status passes"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let nonzero = a.bool("nonzero") == true
        let want = a.int("equals") ?? 0
        let expected = nonzero ? "a non-zero exit status" : "exit \(want)"
        guard let client = input.client else { return .noClient(expected) }
        let code = client.exitCode.map(String.init) ?? "none"
        if nonzero { return Judgement(passed: client.exitCode.map { $0 != 0 } ?? false, expected: expected, actual: "exit \(code)") }
        return Judgement(passed: client.exitCode == Int32(want), expected: expected, actual: "exit \(code)")
    }
}

extension Judgement {
    /// The failing judgement of a check that reads the client's run when there was none (`/verify`).
    static func noClient(_ expected: String) -> Judgement {
        Judgement(passed: false, expected: expected, actual: "no client run to read (this check needs the conformance runner's observation)")
    }
}
