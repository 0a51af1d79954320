/// A create request as the client sent it, before validation: every field, nothing dropped.
public struct ImageRequest: Sendable {
    public enum Encoding: String, Sendable { case json, multipart }

    public var endpoint: Endpoint
    public var encoding: Encoding
    /// JSON members, or multipart text parts as `.string`.
    public var fields: [String: JSONValue]
    /// Multipart file parts by field name, in the order sent.
    public var files: [String: [UploadedFile]]
    /// Multipart scalar fields sent more than once.
    public var duplicateFields: [String]

    public init(
        endpoint: Endpoint,
        encoding: Encoding,
        fields: [String: JSONValue],
        files: [String: [UploadedFile]] = [:],
        duplicateFields: [String] = []
    ) {
        self.endpoint = endpoint
        self.encoding = encoding
        self.fields = fields
        self.files = files
        self.duplicateFields = duplicateFields
    }

    /// Every field name the client sent, files included.
    public var fieldNames: Set<String> {
        files.isEmpty ? Set(fields.keys) : Set(fields.keys).union(files.keys)
    }

    /// `fieldNames`, sorted: one array and no hashing (a request has a handful of fields).
    public var sortedFieldNames: [String] {
        files.isEmpty ? fields.keys.sorted() : fieldNames.sorted()
    }
}

/// A file part of a multipart body.
public struct UploadedFile: Sendable, Hashable {
    public var field: String
    public var filename: String?
    public var contentType: String?
    public var bytes: [UInt8]

    public init(field: String, filename: String?, contentType: String?, bytes: [UInt8]) {
        self.field = field
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// A reference image, as the request named it; `param` is what an error about it must name.
public struct ImageReference: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case url(String)
        case upload(UploadedFile)
        case fileID(String)
    }
    public var source: Source
    public var param: String
}

/// A request that passed its model's contract: everything the engine needs to answer it.
public struct ValidatedImageRequest: Sendable {
    public var model: ModelContract
    public var operation: Operation
    public var endpoint: Endpoint
    public var prompt: String
    public var n: Int
    public var width: Int
    public var height: Int
    public var outputFormat: String
    public var responseFormat: ResponseFormat
    /// The client asked for a task (`async: true`) and the model honours it.
    public var asyncRequested: Bool
    public var references: [ImageReference]
    public var mask: ImageReference?
    public var seed: Int?
    public var compression: Int?
    /// Every field sent, canonical (multipart text coerced), for hashing and the journal.
    public var fields: [String: JSONValue]

    public enum ResponseFormat: String, Sendable {
        case url
        case b64Json = "b64_json"
    }
}
