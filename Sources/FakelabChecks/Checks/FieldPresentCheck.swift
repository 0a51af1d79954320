import FakelabAPI

/// `field_present`: every request to `route` (default `create`) carries `field` (a JSON member,
/// a multipart field or a file part; `image[]` counts as `image`), and there is at least one.
public struct FieldPresentCheck: Check {
    public init() {}
    public let name = "field_present"
    public let arguments = [
        CheckArgument("field", .string, "the field name"),
        CheckArgument("route", .route, "which requests; default create"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let (route, field) = (a.route(), a.string("field") ?? "")
        let matching = input.journal.filter(route.matches)
        let lacking = matching.filter { !$0.fieldNames.contains(field) }
        let actual =
            matching.isEmpty
            ? "no request to \(route)" : lacking.isEmpty ? "present in \(matching.count)" : "missing in " + Evidence.describe(lacking)
        return Judgement(
            passed: !matching.isEmpty && lacking.isEmpty,
            expected: "every request to \(route) carries `\(field)`",
            actual: actual,
            requests: lacking.map(\.seq)
        )
    }
}
