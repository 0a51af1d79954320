import FakelabAPI

/// `field_equals`: every request to `route` (default `create`) has `field` equal to `value`
/// (JSON members and multipart text fields), and there is at least one.
public struct FieldEqualsCheck: Check {
    public init() {}
    public let name = "field_equals"
    public let arguments = [
        CheckArgument("field", .string, "the field name"),
        CheckArgument("value", .any, "the value expected; default null"),
        CheckArgument("route", .route, "which requests; default create"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let (route, field, want) = (a.route(), a.string("field") ?? "", a["value"] ?? .null)
        let matching = input.journal.filter(route.matches)
        let wrong = matching.filter { $0.values[field] != want }
        let actual =
            matching.isEmpty
            ? "no request"
            : wrong.isEmpty ? "as expected" : wrong.map { "\($0.label): \($0.values[field]?.serializedString() ?? "absent")" }.joined(separator: "; ")
        return Judgement(
            passed: !matching.isEmpty && wrong.isEmpty,
            expected: "`\(field)` = \(want.serializedString()) on \(route)",
            actual: actual,
            requests: wrong.map(\.seq)
        )
    }
}
