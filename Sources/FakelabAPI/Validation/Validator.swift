/// Checks a create request against its model's contract, collecting every violation.
public struct Validator: Sendable {
    public let catalog: Catalog
    /// Accept loopback reference URLs (only for a server that fetches from a local test server).
    public let allowLoopbackReferences: Bool

    /// The catalog's prompt limit in code points (read once: every request checks it).
    private let promptLimit: Int

    public init(catalog: Catalog, allowLoopbackReferences: Bool = false) {
        self.catalog = catalog
        self.allowLoopbackReferences = allowLoopbackReferences
        promptLimit = catalog.file.parameters["prompt"]?.maxLength ?? 4000
    }

    /// What a field name is to the validator. Decided by comparing, not hashing: a request has
    /// a handful of fields and this runs for each of them.
    enum FieldRole {
        /// Fields every create request may carry whatever the model (`async` is honoured per model).
        case envelope
        /// A reference-image shape; which ones a model takes is in its operation's `references`.
        case reference
        /// A shape of the edit flow only that is not a reference (guide: "Request Shape Rules").
        /// `images` belongs to the edit flow too, but is a reference first: `References` refuses
        /// it where the operation takes no such shape.
        case editOnly
        case parameter
    }

    static func role(_ name: String) -> FieldRole {
        switch name {
        case "model", "prompt", "operation", "stream", "async": .envelope
        case "image_url", "image_urls", "reference_image_urls", "image", "image[]", "images", "mask", "mask_url": .reference
        case "file_id": .editOnly
        default: .parameter
        }
    }

    static func isReferenceShape(_ name: String) -> Bool { role(name) == .reference }

    public func validate(_ request: ImageRequest) -> Result<ValidatedImageRequest, ValidationFailure> {
        var v = Violations()
        reportDuplicates(request.duplicateFields, &v)
        let model = resolveModel(request.fields["model"], &v)
        let prompt = checkPrompt(request, &v)
        let async = checkEnvelopeFlags(request, &v)

        guard let model else { return .failure(ValidationFailure(violations: v.all)) }
        let names = request.sortedFieldNames
        guard let op = resolveOperation(request, names: names, model: model, &v) else { return .failure(ValidationFailure(violations: v.all)) }

        var canonical = canonicalParameters(request, names: names, model: model, op: op, &v)
        let refs = References.collect(request, names: names, op: op, model: model, allowLoopback: allowLoopbackReferences, &v)
        let size = Dimensions.resolve(canonical, model: model, catalog: catalog, &v)
        let outputFormat = checkOutputFormat(canonical, model: model, &v)
        guard v.isEmpty, let size, let prompt else { return .failure(ValidationFailure(violations: v.all)) }
        carryUncheckedFields(request.fields, into: &canonical, modelID: model.id)
        return .success(
            ValidatedImageRequest(
                model: model,
                operation: op.operation,
                endpoint: request.endpoint,
                prompt: prompt,
                n: canonical["n"]?.intValue ?? 1,
                width: size.width,
                height: size.height,
                outputFormat: outputFormat,
                responseFormat: canonical["response_format"]?.stringValue == "b64_json" ? .b64Json : .url,
                asyncRequested: async && model.asyncHonoured,
                references: refs.images,
                mask: refs.mask,
                seed: canonical["seed"]?.intValue,
                compression: (canonical["output_compression"] ?? canonical["compression"])?.intValue,
                fields: canonical
            )
        )
    }

    /// One violation per multipart scalar sent more than once, in name order.
    private func reportDuplicates(_ duplicates: [String], _ v: inout Violations) {
        for name in duplicates.sorted() {
            v.add(code: ErrorCode.duplicateField, param: name, "\(name): sent more than once; send a single value")
        }
    }

    /// The envelope flags: `stream` must be absent or false; returns whether `async` was asked for
    /// (false when absent or not a boolean).
    private func checkEnvelopeFlags(_ request: ImageRequest, _ v: inout Violations) -> Bool {
        let multipart = request.encoding == .multipart
        if let stream = request.fields["stream"] {
            switch Coerce.bool(stream, multipart: multipart) {
            case .some(true):
                v.add(
                    code: ErrorCode.unsupportedParameter,
                    param: "stream",
                    "stream: streaming is not supported on image endpoints; omit stream or send false"
                )
            case .some(false): break
            case .none: v.typeMismatch("stream", expected: .boolean, got: stream)
            }
        }
        guard let value = request.fields["async"] else { return false }
        guard let async = Coerce.bool(value, multipart: multipart) else {
            v.typeMismatch("async", expected: .boolean, got: value)
            return false
        }
        return async
    }

    /// Checks every field that is neither envelope nor reference against the operation's
    /// parameters; returns the ones that passed, coerced to their JSON types.
    private func canonicalParameters(
        _ request: ImageRequest,
        names: [String],
        model: ModelContract,
        op: OperationContract,
        _ v: inout Violations
    ) -> [String: JSONValue] {
        let fields = request.fields
        var canonical = [String: JSONValue](minimumCapacity: fields.count + 1)
        for name in names {
            let role = Self.role(name)
            guard role != .envelope, role != .reference else { continue }
            guard let value = fields[name] else {
                v.unsupported(name, model: model, op: op, reason: "file uploads are not accepted for \(name)")
                continue
            }
            if let removed = catalog.file.removedParameters?[name] {
                v.unsupported(name, model: model, op: op, reason: removed)
            } else if request.endpoint == .generations, role == .editOnly {
                v.unsupported(
                    name,
                    model: model,
                    op: op,
                    reason:
                        "\(name) belongs to the edit flow (POST /v1/images/edits); /v1/images/generations takes image_url, image_urls or reference_image_urls"
                )
            } else if let spec = op.parameters[name] {
                if let coerced = check(name, value, spec, multipart: request.encoding == .multipart, &v) { canonical[name] = coerced }
            } else if !model.ignoredParameters.contains(name) {
                v.unsupported(name, model: model, op: op, reason: nil)
            }
        }
        return canonical
    }

    /// The output format the request gets: the one asked for, which the model must produce, or the model's default.
    private func checkOutputFormat(_ canonical: [String: JSONValue], model: ModelContract, _ v: inout Violations) -> String {
        let requestedFormat = canonical["output_format"]?.stringValue
        let outputFormat = requestedFormat ?? model.defaultOutputFormat
        if requestedFormat != nil, !model.outputFormats.contains(outputFormat) {
            v.add(
                code: ErrorCode.invalidValue,
                param: "output_format",
                "output_format: \(model.id) produces \(model.outputFormats.joined(separator: ", ")), not \(outputFormat)"
            )
        }
        return outputFormat
    }

    /// Completes the validated fields: every field sent but not checked (envelope, references,
    /// ignored parameters) as sent, except `prompt`; and `model` as the catalog names it.
    private func carryUncheckedFields(_ fields: [String: JSONValue], into canonical: inout [String: JSONValue], modelID: String) {
        for (key, value) in fields where key != "prompt" && key != "model" && canonical[key] == nil { canonical[key] = value }
        canonical["model"] = .string(modelID)
    }

    private func resolveModel(_ value: JSONValue?, _ v: inout Violations) -> ModelContract? {
        guard let value, value != .null, value != "" else {
            v.add(
                code: ErrorCode.missingRequired,
                param: "model",
                "model: Model is required",
                hints: ["hint": "Query GET /v1/models?recommended_for=image and send model explicitly"]
            )
            return nil
        }
        guard let id = value.stringValue else {
            v.typeMismatch("model", expected: .string, got: value)
            return nil
        }
        if let model = catalog.model(id) { return model }
        let hints = catalog.notFoundHints(for: id)
        let tail = hints["did_you_mean"]?.stringValue.map { " Did you mean '\($0)'?" } ?? ""
        v.add(code: ErrorCode.modelNotFound, param: "model", "Model '\(id)' not found.\(tail)", hints: hints)
        return nil
    }

    private func checkPrompt(_ request: ImageRequest, _ v: inout Violations) -> String? {
        guard request.endpoint != .variations else {
            if request.fields["prompt"] != nil { v.add(code: ErrorCode.unsupportedParameter, param: "prompt", "prompt: variations take no prompt") }
            return ""
        }
        guard let value = request.fields["prompt"], value != .null else {
            v.add(code: ErrorCode.missingRequired, param: "prompt", "prompt: Prompt is required")
            return nil
        }
        guard let prompt = value.stringValue else {
            v.typeMismatch("prompt", expected: .string, got: value)
            return nil
        }
        let limit = promptLimit
        // JSON Schema's maxLength counts code points, and so does this (fast, unlike Character counting).
        let length = prompt.unicodeScalars.count
        if length > limit {
            v.add(
                code: ErrorCode.stringTooLong,
                param: "prompt",
                "prompt: \(length) characters is over the limit of \(limit)",
                hints: ["prompt_max_characters": .int(limit)]
            )
        }
        // A printable ASCII byte settles it without a Unicode property lookup (the usual prompt).
        if !prompt.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }), prompt.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            v.add(code: ErrorCode.invalidValue, param: "prompt", "prompt: must not be empty")
        }
        return prompt
    }

    private func resolveOperation(_ request: ImageRequest, names: [String], model: ModelContract, _ v: inout Violations) -> OperationContract? {
        let wanted: Operation
        var param = "model"
        switch request.endpoint {
        case .edits: wanted = .imageEdit
        case .variations: wanted = .variation
        case .generations:
            if let raw = request.fields["operation"] {
                param = "operation"
                guard let s = raw.stringValue, let op = Operation(rawValue: s), op != .variation else {
                    v.add(code: ErrorCode.invalidValue, param: "operation", "operation: must be one of text-to-image, image-to-image, image-edit")
                    return nil
                }
                wanted = op
            } else {
                let hasRefs = names.contains { name in
                    switch name {
                    case "image_url", "image_urls", "reference_image_urls", "image": true
                    default: false
                    }
                }
                wanted = hasRefs && model.operation(.imageToImage) != nil ? .imageToImage : .textToImage
            }
        }
        if let op = model.operation(wanted), op.endpoint == request.endpoint { return op }
        let hints: [String: JSONValue] = [
            "supported_operations": .array(model.publicOperations.map { .string($0) }),
            "request_endpoint": .string(model.requestEndpoint),
        ]
        if let op = model.operation(wanted) {
            v.add(
                code: ErrorCode.unsupportedOperation,
                param: param,
                "\(model.id) does \(wanted.rawValue) on \(op.endpoint.rawValue), not \(request.endpoint.rawValue); send the request there",
                hints: hints
            )
        } else if request.endpoint == .edits, let i2i = model.operation(.imageToImage) {
            v.add(
                code: ErrorCode.unsupportedOperation,
                param: param,
                "\(model.id) does not edit on /v1/images/edits; send operation \"image-to-image\" with \(i2i.references.filter { $0.hasSuffix("url") || $0.hasSuffix("urls") }.joined(separator: " or ")) to \(i2i.endpoint.rawValue)",
                hints: hints
            )
        } else {
            let where_ = model.operations.map { "\($0.operation.rawValue) on \($0.endpoint.rawValue)" }.joined(separator: ", ")
            v.add(
                code: ErrorCode.unsupportedOperation,
                param: param,
                "\(model.id) does not support \(wanted.rawValue); it supports \(where_)",
                hints: hints
            )
        }
        return nil
    }

    /// Type, enum and range checks; returns the value coerced to its JSON type.
    private func check(_ name: String, _ value: JSONValue, _ spec: ParameterSpec, multipart: Bool, _ v: inout Violations) -> JSONValue? {
        guard let coerced = Coerce.value(value, to: spec.type, multipart: multipart) else {
            v.typeMismatch(name, expected: spec.type, got: value)
            return nil
        }
        if let allowed = spec.enum, let s = coerced.stringValue, !allowed.contains(s) {
            v.add(
                code: ErrorCode.invalidValue,
                param: name,
                "\(name): '\(s)' is not one of \(allowed.joined(separator: ", "))",
                hints: ["allowed_values": .array(allowed.map { .string($0) })]
            )
            return nil
        }
        if let n = coerced.doubleValue {
            if let min = spec.minimum, n < min {
                v.add(code: ErrorCode.invalidValue, param: name, "\(name): \(n.compactText) is below the minimum of \(min.compactText)")
                return nil
            }
            if let max = spec.maximum, n > max {
                v.add(code: ErrorCode.invalidValue, param: name, "\(name): \(n.compactText) is above the maximum of \(max.compactText)")
                return nil
            }
        }
        if let limit = spec.maxLength, let s = coerced.stringValue, s.count > limit {
            v.add(code: ErrorCode.stringTooLong, param: name, "\(name): \(s.count) characters is over the limit of \(limit)")
            return nil
        }
        return coerced
    }
}

/// The violations of one request, in the order found.
struct Violations {
    private(set) var all: [Violation] = []
    var isEmpty: Bool { all.isEmpty }

    mutating func add(status: Int = 400, code: String?, param: String?, _ message: String, hints: [String: JSONValue] = [:]) {
        all.append(Violation(status: status, code: code, param: param, message: message, hints: hints))
    }

    mutating func typeMismatch(_ name: String, expected: ParameterSpec.Kind, got: JSONValue) {
        let article = expected == .integer || expected == .array || expected == .object ? "an" : "a"
        add(code: ErrorCode.invalidType, param: name, "\(name): expected \(article) \(expected.rawValue), got \(got.typeName)")
    }

    mutating func unsupported(_ name: String, model: ModelContract, op: OperationContract, reason: String?) {
        let supported = op.supportedParameters
        add(
            code: ErrorCode.unsupportedParameter,
            param: name,
            reason.map { "\(name): \($0)" }
                ?? "\(name): not supported by \(model.id) for \(op.operation.rawValue); supported parameters: \(supported.joined(separator: ", "))",
            hints: ["supported_parameters": .array(supported.map { .string($0) }), "model": .string(model.id)]
        )
    }
}

/// Multipart text arrives as strings; JSON must already have the right type.
enum Coerce {
    static func value(_ value: JSONValue, to kind: ParameterSpec.Kind, multipart: Bool) -> JSONValue? {
        switch (kind, value) {
        case (.string, .string), (.integer, .int), (.boolean, .bool), (.array, .array), (.object, .object): return value
        case (.number, .int), (.number, .double): return value
        case (.integer, .double(let d)) where d.isCompactInteger: return .int(Int(d))
        case (.integer, .string(let s)) where multipart: return Int(s.trimmingWhitespace()).map { .int($0) }
        case (.number, .string(let s)) where multipart: return Double(s.trimmingWhitespace()).map { .double($0) }
        case (.boolean, .string) where multipart: return bool(value, multipart: true).map { .bool($0) }
        default: return nil
        }
    }

    static func bool(_ value: JSONValue, multipart: Bool) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .string(let s) where multipart:
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }
}
