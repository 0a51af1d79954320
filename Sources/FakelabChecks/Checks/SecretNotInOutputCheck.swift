import FakelabAPI

/// `secret_not_in_output`: the API key appears in neither stdout, stderr nor the result file.
public struct SecretNotInOutputCheck: Check {
    public init() {}
    public let name = "secret_not_in_output"
    public let needsClient = true
    public let arguments: [CheckArgument] = []

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let expected = "the API key appears in no output"
        guard let client = input.client else { return .noClient(expected) }
        guard !client.apiKey.isEmpty else { return Judgement(passed: false, expected: expected, actual: "no API key to look for") }
        let places = [("stdout", client.stdout), ("stderr", client.stderr), ("result file", client.result?.serializedString() ?? "")]
        let leaks = places.filter { $0.1.contains(client.apiKey) }.map(\.0)
        return Judgement(
            passed: leaks.isEmpty,
            expected: expected,
            actual: leaks.isEmpty ? "not found" : "printed to " + leaks.joined(separator: ", ")
        )
    }
}
