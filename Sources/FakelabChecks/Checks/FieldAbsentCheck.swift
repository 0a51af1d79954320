import FakelabAPI

/// `field_absent`: no request to `route` (default `create`) carries `field`.
public struct FieldAbsentCheck: Check {
    public init() {}
    public let name = "field_absent"
    public let arguments = [
        CheckArgument("field", .string, "the field name"),
        CheckArgument("route", .route, "which requests; default create"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let (route, field) = (a.route(), a.string("field") ?? "")
        let matching = input.journal.filter(route.matches)
        let having = matching.filter { $0.fieldNames.contains(field) }
        return Judgement(
            passed: having.isEmpty,
            expected: "no request to \(route) carries `\(field)`",
            actual: having.isEmpty ? "absent in \(matching.count) request(s)" : "sent in " + Evidence.describe(having),
            requests: having.map(\.seq)
        )
    }
}
