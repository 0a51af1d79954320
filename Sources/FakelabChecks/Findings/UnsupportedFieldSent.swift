import FakelabAPI

/// `unsupported_field_sent` (MUST): an answer refused a field as `unsupported_parameter` or
/// `unknown_parameter`; one finding per field (`error.param`), naming every request that sent it.
public struct UnsupportedFieldSent: FindingRule {
    public init() {}
    public let name = "unsupported_field_sent"
    public let level = Finding.Level.must
    public let advice = "Send only the fields the model's contract documents (GET /v1/models/{id}); drop the field or pick a model that supports it."
    /// The error codes that name a field the model does not take.
    public static let codes: Set<String> = [ErrorCode.unsupportedParameter, ErrorCode.unknownParameter]

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        var order: [String] = []
        var sent: [String: [JournalEntry]] = [:]
        for e in traffic.entries {
            guard let code = e.error?.code, Self.codes.contains(code) else { continue }
            let param = e.error?.param ?? "?"
            if sent[param] == nil { order.append(param) }
            sent[param, default: []].append(e)
        }
        return order.map { param in
            let list = sent[param]!
            return Occurrence(
                "`\(param)` was sent and refused as \(list[0].error?.code ?? "unsupported") \(list.count) time(s): \(Evidence.describe(list))",
                requests: list.map(\.seq)
            )
        }
    }
}
