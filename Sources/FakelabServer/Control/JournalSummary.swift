import FakelabAPI
import HTTPTypes

/// What the fake's journal keeps of a request, by the rules of `JournalRedaction` (shared with
/// the replay's journal): never a secret, never a whole upload.
enum JournalSummary {
    /// Headers with credentials masked (`Bearer sk-…abcd`) and tokens masked in every other value.
    static func headers(_ fields: HTTPFields) -> [String: String] {
        var out: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName
            out[name] = JournalRedaction.header(name, field.value)
        }
        return out
    }

    /// JSON fields as sent (bounded) and multipart files as name, filename, size and hash.
    static func body(_ request: ImageRequest, kind: JournalEntry.Body.Kind, files: [JournalEntry.File]) -> JournalEntry.Body {
        JournalRedaction.body(kind: kind, fields: request.fields, files: files)
    }

    /// Multipart file parts as name, filename, type, size and SHA-256 (never their bytes), at most
    /// `JournalRedaction.maxMembers`.
    static func files(_ request: ImageRequest) -> [JournalEntry.File] {
        var files: [JournalEntry.File] = []
        for (name, parts) in request.files.sorted(by: { $0.key < $1.key }) {
            for part in parts where files.count < JournalRedaction.maxMembers {
                files.append(
                    JournalEntry.File(
                        name: name,
                        filename: part.filename,
                        contentType: part.contentType,
                        size: part.bytes.count,
                        sha256: SHA256.hex(part.bytes)
                    )
                )
            }
        }
        return files
    }
}
