extension JournalEntry {
    /// A journal entry JSON that does not have the entry's shape (docs/serve.md, "The journal and the rate limiter"); names the field.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The field, as a dotted path (`body.files[0].sha256`).
        public let field: String
        /// The message, naming the field.
        public let description: String

        init(_ field: String, _ reason: String) {
            self.field = field
            self.description = "journal entry: \(field): \(reason)"
        }
    }

    /// The wire form: snake_case, optional members left out, `status` null and
    /// `"in_flight": true` while no answer was recorded.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "seq": .int(seq), "time": .double(time), "method": .string(method), "path": .string(path),
            "request_id": .string(requestID), "status": status.map(JSONValue.int) ?? .null, "duration_ms": .double(durationMS),
            "headers": .object(headers.mapValues(JSONValue.string)), "fingerprint": .string(fingerprint),
        ]
        if status == nil { o["in_flight"] = true }
        let optional: [(String, JSONValue?)] = [
            ("query", query.map(JSONValue.string)), ("body", body?.json), ("model", model.map(JSONValue.string)),
            ("task_id", taskID.map(JSONValue.string)), ("task_status", taskStatus.map(JSONValue.string)),
            ("poll_url", pollURL.map(JSONValue.string)), ("fault", fault.map(JSONValue.string)), ("error", error?.json),
            ("retry_after", retryAfter.map(JSONValue.double)), ("result", result?.json),
        ]
        for case (let key, let value?) in optional { o[key] = value }
        return .object(o)
    }

    /// Reads the wire form. `in_flight` is derived from `status` and not read.
    public init(json: JSONValue) throws(DecodingError) {
        let r = try Reader(json, at: "")
        self.init(
            seq: try r.int("seq"),
            time: try r.double("time"),
            method: try r.string("method"),
            path: try r.string("path"),
            query: try r.optionalString("query"),
            requestID: try r.optionalString("request_id") ?? "",
            status: try r.optionalInt("status"),
            durationMS: try r.optionalDouble("duration_ms") ?? 0,
            headers: try r.stringMap("headers"),
            body: try r.optional("body").map { v throws(DecodingError) in try Body(json: v, at: "body") },
            fingerprint: try r.optionalString("fingerprint")
        )
        model = try r.optionalString("model")
        taskID = try r.optionalString("task_id")
        taskStatus = try r.optionalString("task_status")
        pollURL = try r.optionalString("poll_url")
        fault = try r.optionalString("fault")
        error = try r.optional("error").map { v throws(DecodingError) in try ErrorInfo(json: v, at: "error") }
        retryAfter = try r.optionalDouble("retry_after")
        result = try r.optional("result").map { v throws(DecodingError) in try Result(json: v, at: "result") }
    }
}

extension JournalEntry.Body {
    /// `{"kind": …, "fields": {…}, "files": […]}`.
    public var json: JSONValue {
        ["kind": .string(kind.rawValue), "fields": .object(fields), "files": .array(files.map(\.json))]
    }

    init(json: JSONValue, at path: String) throws(JournalEntry.DecodingError) {
        let r = try JournalEntry.Reader(json, at: path)
        let kindText = try r.string("kind")
        guard let kind = Kind(rawValue: kindText) else {
            throw .init(path + ".kind", "'\(kindText)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let fields = try r.optional("fields").map { v throws(JournalEntry.DecodingError) in
            guard case .object(let o) = v else { throw .init(path + ".fields", "expected an object, got \(v.typeName)") }
            return o
        }
        let files = try r.array("files").enumerated().map { i, v throws(JournalEntry.DecodingError) in
            try JournalEntry.File(json: v, at: "\(path).files[\(i)]")
        }
        self.init(kind: kind, fields: fields ?? [:], files: files)
    }
}

extension JournalEntry.File {
    /// `{"name", "filename"?, "content_type"?, "size", "sha256"}`.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["name": .string(name), "size": .int(size), "sha256": .string(sha256)]
        if let filename { o["filename"] = .string(filename) }
        if let contentType { o["content_type"] = .string(contentType) }
        return .object(o)
    }

    init(json: JSONValue, at path: String) throws(JournalEntry.DecodingError) {
        let r = try JournalEntry.Reader(json, at: path)
        self.init(
            name: try r.string("name"),
            filename: try r.optionalString("filename"),
            contentType: try r.optionalString("content_type"),
            size: try r.int("size"),
            sha256: try r.string("sha256")
        )
    }
}

extension JournalEntry.ErrorInfo {
    /// The members it has, snake_case as the error envelope spells them.
    public var json: JSONValue {
        let members: [(String, JSONValue?)] = [
            ("type", type.map(JSONValue.string)), ("code", code.map(JSONValue.string)), ("param", param.map(JSONValue.string)),
            ("message", message.map(JSONValue.string)), ("retryable", retryable.map(JSONValue.bool)),
        ]
        var o: [String: JSONValue] = [:]
        for case (let key, let value?) in members { o[key] = value }
        return .object(o)
    }

    init(json: JSONValue, at path: String) throws(JournalEntry.DecodingError) {
        let r = try JournalEntry.Reader(json, at: path)
        self.init(
            type: try r.optionalString("type"),
            code: try r.optionalString("code"),
            param: try r.optionalString("param"),
            message: try r.optionalString("message"),
            retryable: try r.optionalBool("retryable")
        )
    }
}

extension JournalEntry.Result {
    /// `{"kind": "inline" | "task", "urls": […], "b64": N}`.
    public var json: JSONValue {
        ["kind": .string(kind.rawValue), "urls": .array(urls.map(JSONValue.string)), "b64": .int(b64)]
    }

    init(json: JSONValue, at path: String) throws(JournalEntry.DecodingError) {
        let r = try JournalEntry.Reader(json, at: path)
        let kindText = try r.string("kind")
        guard let kind = Kind(rawValue: kindText) else {
            throw .init(path + ".kind", "'\(kindText)' is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let urls = try r.array("urls").enumerated().map { i, v throws(JournalEntry.DecodingError) in
            guard let s = v.stringValue else { throw .init("\(path).urls[\(i)]", "expected a string, got \(v.typeName)") }
            return s
        }
        self.init(kind: kind, urls: urls, b64: try r.optionalInt("b64") ?? 0)
    }
}

extension JournalEntry: Codable {
    /// Decodes the wire form (through `JSONValue`, so `Codable` and `init(json:)` agree).
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    /// Encodes the wire form (`json`).
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
