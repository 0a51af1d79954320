/// A catalog that cannot be used, with what to fix.
///
/// Kinds compare equal whatever their details (`error == .duplicateModel`), as AsyncHTTPClient's
/// `HTTPClientError` does; `description` says what to fix.
public struct CatalogError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case unreadable, invalid, duplicateModel, badAlias, invalidModel
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: CatalogError, rhs: CatalogError) -> Bool { lhs.code == rhs.code }

    /// The catalog file cannot be read.
    public static var unreadable: CatalogError { CatalogError(.unreadable, "the catalog cannot be read") }
    /// The file is not a `fakelab-catalog/1` document.
    public static var invalid: CatalogError { CatalogError(.invalid, "the catalog is not a fakelab-catalog/1 document") }
    /// Two models share an id or alias.
    public static var duplicateModel: CatalogError { CatalogError(.duplicateModel, "a model id or alias appears twice") }
    /// `alias_of` or `contract_of` names no plain model.
    public static var badAlias: CatalogError { CatalogError(.badAlias, "an alias_of or contract_of names no plain model") }
    /// One model's entry is unusable (pricing, poll path, dimensions, operations, task policy, …).
    public static var invalidModel: CatalogError { CatalogError(.invalidModel, "a model's entry is unusable") }

    /// The same error, naming the catalog file it is in (`catalog PATH: …`).
    func naming(file path: String) -> CatalogError { CatalogError(code, "catalog \(path): \(description)") }

    static func unreadable(path: String, reason: String) -> CatalogError { CatalogError(.unreadable, "cannot read catalog \(path): \(reason)") }
    static func invalid(path: String, reason: String) -> CatalogError {
        CatalogError(.invalid, "catalog \(path) is not a fakelab-catalog/1 document: \(reason)")
    }
    static func duplicateModel(_ id: String) -> CatalogError {
        CatalogError(.duplicateModel, "model id or alias '\(id)' appears twice in the catalog")
    }
    static func badAlias(_ id: String, _ target: String) -> CatalogError {
        CatalogError(.badAlias, "model '\(id)' is alias_of or contract_of '\(target)', which is not a non-alias model of the catalog")
    }
    static func invalidModel(_ id: String, _ problem: String) -> CatalogError { CatalogError(.invalidModel, "model '\(id)': \(problem)") }
}
