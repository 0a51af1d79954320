/// Parsing of structured header values (`Content-Type`, `Content-Disposition`), shared by the
/// server's body decoder and the cassette matcher so both read a header the same way.
public enum HeaderValue {
    /// `type/subtype`, lowercased, without parameters or spaces (byte-level: it runs per request).
    public static func mediaType(_ header: String) -> String {
        // Already in that form (the common case): the same string, nothing made.
        if !header.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == 0x20 || $0 == 0x09 || ($0 >= 65 && $0 <= 90) }) { return header }
        var out: [UInt8] = []
        out.reserveCapacity(header.utf8.count)
        for b in header.utf8 {
            if b == UInt8(ascii: ";") { break }
            if b == 0x20 || b == 0x09 { continue }
            out.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a `Content-Type` names JSON (`application/json` or a `+json` type).
    public static func isJSON(_ contentType: String?) -> Bool {
        let media = mediaType(contentType ?? "")
        return media == "application/json" || media.hasSuffix("+json")
    }

    /// A parameter of a header value (`boundary=…`, `name="…"`), quoted (with escapes) or not.
    public static func parameter(_ name: String, in header: String) -> String? {
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
            guard let eq = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<eq].trimmingWhitespace().lowercased()
            var value = rest[rest.index(after: eq)...]
            let parsed: String
            if value.first == "\"" {
                value = value.dropFirst()
                var out = ""
                var escaped = false
                var end = value.endIndex
                for i in value.indices {
                    let c = value[i]
                    if escaped {
                        out.append(c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        end = i
                        break
                    } else {
                        out.append(c)
                    }
                }
                parsed = out
                rest = end < value.endIndex ? value[value.index(after: end)...] : value[value.endIndex...]
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                parsed = String(value[..<end].trimmingWhitespace())
                rest = value[end...]
            }
            if key == name { return parsed }
        }
        return nil
    }
}
