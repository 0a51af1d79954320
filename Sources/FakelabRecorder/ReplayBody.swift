import FakelabAPI
import FakelabCassettes

/// A request body as the replay journal keeps it, by `JournalRedaction`'s rules.
enum ReplayBody {
    /// A multipart body as the journal keeps it: text fields as strings, file parts as name,
    /// filename, type, size and SHA-256 (never their bytes), and the fingerprint of the whole
    /// body. Nil when the body is not multipart with this boundary.
    static func multipart(_ bytes: [UInt8], boundary: String, method: String, path: String) -> (body: JournalEntry.Body, fingerprint: String)? {
        guard let parts = MatchKey.parts(bytes, boundary: boundary) else { return nil }
        var fields: [String: JSONValue] = [:]
        var files: [JournalEntry.File] = []
        for part in parts {
            if let filename = part.filename {
                files.append(
                    JournalEntry.File(
                        name: part.name,
                        filename: filename,
                        contentType: part.contentType,
                        size: part.body.count,
                        sha256: SHA256.hex(part.body)
                    )
                )
            } else {
                fields[part.name] = .string(String(decoding: part.body, as: UTF8.self))
            }
        }
        let fingerprint = JournalEntry.Fingerprint.make(
            method: method,
            path: path,
            kind: .multipart,
            fields: fields,
            files: files.map { ($0.name, $0.sha256) }
        )
        return (JournalRedaction.body(kind: .multipart, fields: fields, files: files), fingerprint)
    }
}
