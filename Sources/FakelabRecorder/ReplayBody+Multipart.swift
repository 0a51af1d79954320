import FakelabAPI

extension ReplayBody {
    /// A multipart body as the journal keeps it: text fields as strings, file parts as name,
    /// filename, type, size and SHA-256 (never their bytes), and the fingerprint of the whole
    /// body. Nil when the body is not multipart with this boundary.
    static func multipart(_ bytes: [UInt8], boundary: String, method: String, path: String) -> (body: JournalEntry.Body, fingerprint: String)? {
        guard let parts = parts(bytes, boundary: boundary) else { return nil }
        var fields: [String: JSONValue] = [:]
        var files: [JournalEntry.File] = []
        for part in parts {
            let disposition = part.headers["content-disposition"] ?? ""
            let name = HeaderValue.parameter("name", in: disposition) ?? ""
            if let filename = HeaderValue.parameter("filename", in: disposition) {
                let file = Array(part.body)
                files.append(
                    JournalEntry.File(
                        name: name,
                        filename: filename,
                        contentType: part.headers["content-type"],
                        size: file.count,
                        sha256: SHA256.hex(file)
                    )
                )
            } else {
                fields[name] = .string(String(decoding: part.body, as: UTF8.self))
            }
        }
        let fingerprint = JournalEntry.Fingerprint.make(
            method: method,
            path: path,
            kind: .multipart,
            fields: fields,
            files: files.map { ($0.name, $0.sha256) }
        )
        return (summary(kind: .multipart, fields: fields, files: files), fingerprint)
    }

    struct Part {
        var headers: [String: String]
        var body: ArraySlice<UInt8>
    }

    /// The parts between `--boundary` delimiters: headers (names lower-case) up to the blank
    /// line, then the content up to the CRLF before the next delimiter.
    static func parts(_ bytes: [UInt8], boundary: String) -> [Part]? {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var from = 0
        while let at = find(delimiter, in: bytes, from: from) {
            starts.append(at)
            from = at + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        var parts: [Part] = []
        for (a, b) in zip(starts, starts.dropFirst()) {
            var start = a + delimiter.count
            if bytes[start...].starts(with: [13, 10]) { start += 2 }
            var end = b
            if end - 2 >= start, bytes[end - 2] == 13, bytes[end - 1] == 10 { end -= 2 }
            guard start <= end, let blank = find([13, 10, 13, 10], in: bytes, from: start), blank + 4 <= end else { continue }
            var headers: [String: String] = [:]
            for line in bytes[start..<blank].split(separator: 10) {
                let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
                guard let colon = text.firstIndex(of: ":") else { continue }
                headers[text[..<colon].lowercased()] = String(text[text.index(after: colon)...].trimmingWhitespace())
            }
            parts.append(Part(headers: headers, body: bytes[(blank + 4)..<end]))
        }
        return parts
    }

    /// The first place `needle` starts at or after `from`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var i = from
        while i <= bytes.count - needle.count {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
