import FakelabAPI

/// `model_missing` (MUST): an image create that named no model (no `model` field, or an empty
/// one); TokenLab has no default model.
public struct ModelMissing: FindingRule {
    public init() {}
    public let name = "model_missing"
    public let level = Finding.Level.must
    public let advice = "Always send `model` explicitly; choose one from GET /v1/models?recommended_for=image."

    public func occurrences(in traffic: Traffic) -> [Occurrence] {
        let missing = traffic.entries.filter { e in
            // A create whose body the fake never read (cut before it) says nothing about its model.
            guard RoutePattern.create.matches(e), e.body != nil, e.model?.isEmpty ?? true else { return false }
            guard let model = e.values["model"], model != .null else { return true }
            return model.stringValue?.isEmpty == true
        }
        guard !missing.isEmpty else { return [] }
        return [Occurrence("\(missing.count) create(s) named no model: \(Evidence.describe(missing))", requests: missing.map(\.seq))]
    }
}
