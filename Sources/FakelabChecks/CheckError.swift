import FakelabAPI

/// A check a scenario or a `/verify` body names that cannot run as written: an unknown check, an
/// argument it does not take, or an argument of the wrong type or value. Raised at load, so a
/// typo never fails a run halfway. Kinds compare equal whatever their details
/// (`error == .unknownArgument`), as AsyncHTTPClient's `HTTPClientError` does.
public struct CheckError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case unknownCheck, unknownArgument, wrongType, invalidValue
    }

    private let code: Code
    /// The check's name as given.
    public let check: String
    /// The argument at fault; nil for an unknown check.
    public let argument: String?
    /// The message, naming the check and the argument.
    public let description: String

    private init(_ code: Code, check: String, argument: String?, _ description: String) {
        (self.code, self.check, self.argument, self.description) = (code, check, argument, description)
    }

    /// Same kind of error (the check, the argument and the message may differ).
    public static func == (lhs: CheckError, rhs: CheckError) -> Bool { lhs.code == rhs.code }

    /// No check has that name.
    public static var unknownCheck: CheckError { CheckError(.unknownCheck, check: "", argument: nil, "unknown check") }
    /// The check takes no argument of that name.
    public static var unknownArgument: CheckError { CheckError(.unknownArgument, check: "", argument: nil, "unknown argument") }
    /// The argument has another JSON type than the check takes.
    public static var wrongType: CheckError { CheckError(.wrongType, check: "", argument: nil, "argument of the wrong type") }
    /// The argument has the right type but cannot be used (a bad route, bounds out of order).
    public static var invalidValue: CheckError { CheckError(.invalidValue, check: "", argument: nil, "argument of an unusable value") }

    static func unknownCheck(_ name: String, known: [String]) -> CheckError {
        CheckError(.unknownCheck, check: name, argument: nil, "unknown check '\(name)'; known: \(known.joined(separator: ", "))")
    }

    static func unknownArgument(_ argument: String, check: String, takes: [CheckArgument]) -> CheckError {
        let list = takes.isEmpty ? "it takes no arguments" : "it takes " + takes.map(\.name).sorted().joined(separator: ", ")
        return CheckError(.unknownArgument, check: check, argument: argument, "\(check): unknown argument '\(argument)'; \(list)")
    }

    static func wrongType(_ argument: CheckArgument, check: String, got: JSONValue) -> CheckError {
        CheckError(
            .wrongType,
            check: check,
            argument: argument.name,
            "\(check): '\(argument.name)' must be \(argument.kind.article), not \(got.typeName) (\(argument.summary))"
        )
    }

    static func invalidValue(_ argument: String, check: String, _ reason: String) -> CheckError {
        CheckError(.invalidValue, check: check, argument: argument, "\(check): '\(argument)' \(reason)")
    }
}

extension CheckArgument.Kind {
    /// "a string", "an integer", … for messages.
    var article: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .route: "a route (METHOD /path, /prefix*, create or poll)"
        case .path: "a path (/exact or /prefix*)"
        case .any: "a JSON value"
        }
    }

    /// Whether `value` has this JSON shape (a `.route` or `.path` text is parsed separately).
    func accepts(_ value: JSONValue) -> Bool {
        switch self {
        case .string, .route, .path: value.stringValue != nil
        case .integer: value.intValue != nil
        case .number: value.doubleValue != nil
        case .boolean: value.boolValue != nil
        case .any: true
        }
    }
}
