import FakelabAPI
import Foundation

/// `finished_within`: the client finished, not stopped by the runner, within `seconds` (default 30).
public struct FinishedWithinCheck: Check {
    public init() {}
    public let name = "finished_within"
    public let needsClient = true
    public let arguments = [CheckArgument("seconds", .number, "the bound; default 30")]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let max = Arguments(arguments).double("seconds") ?? 30
        let expected = "the client finishes within \(Int(max)) s"
        guard let client = input.client else { return .noClient(expected) }
        return Judgement(
            passed: !client.timedOut && client.seconds <= max,
            expected: expected,
            actual: client.timedOut ? "timed out" : String(format: "%.1f s", client.seconds)
        )
    }
}
