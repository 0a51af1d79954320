import FakelabAPI

/// `body_kind`: every request to `route` (default `create`) has a body of `kind` (default
/// `multipart`) by its `Content-Type` (`multipart`, `json`, `empty` or the type itself).
public struct BodyKindCheck: Check {
    public init() {}
    public let name = "body_kind"
    public let arguments = [
        CheckArgument("kind", .string, "multipart, json, empty or a content type; default multipart"),
        CheckArgument("route", .route, "which requests; default create"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let (route, want) = (a.route(), a.string("kind") ?? "multipart")
        let matching = input.journal.filter(route.matches)
        let wrong = matching.filter { $0.contentKind != want }
        let actual =
            matching.isEmpty
            ? "no request" : wrong.isEmpty ? "\(matching.count) \(want)" : wrong.map { "\($0.label): \($0.contentKind)" }.joined(separator: "; ")
        return Judgement(
            passed: !matching.isEmpty && wrong.isEmpty,
            expected: "\(want) bodies on \(route)",
            actual: actual,
            requests: wrong.map(\.seq)
        )
    }
}
