import FakelabAPI

/// Differences between two JSON documents as `path: a → b` lines: by value (cassette diff) or by
/// shape only — members and their types, values ignored (drift against the fake).
public enum JSONDiff {
    public enum Mode: Sendable { case values, shape }

    public static func compare(_ a: JSONValue, _ b: JSONValue, mode: Mode, path: String = "", limit: Int = 50) -> [String] {
        var out: [String] = []
        walk(a, b, mode: mode, path: path, into: &out, limit: limit)
        return out
    }

    static func walk(_ a: JSONValue, _ b: JSONValue, mode: Mode, path: String, into out: inout [String], limit: Int) {
        guard out.count < limit else { return }
        let here = path.isEmpty ? "$" : path
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                let sub = path.isEmpty ? key : "\(path).\(key)"
                switch (x[key], y[key]) {
                case let (l?, r?): walk(l, r, mode: mode, path: sub, into: &out, limit: limit)
                case (let l?, nil): out.append("\(sub): \(describe(l, mode)) → absent")
                case (nil, let r?): out.append("\(sub): absent → \(describe(r, mode))")
                default: break
                }
                if out.count >= limit { return }
            }
        case (.array(let x), .array(let y)):
            if mode == .values, x.count != y.count { out.append("\(here): \(x.count) items → \(y.count) items") }
            // Shape: element types of the first item on each side stand for the array.
            let n = mode == .shape ? min(1, min(x.count, y.count)) : min(x.count, y.count)
            for i in 0..<n { walk(x[i], y[i], mode: mode, path: "\(path)[\(i)]", into: &out, limit: limit) }
        default:
            switch mode {
            case .values where a != b: out.append("\(here): \(describe(a, mode)) → \(describe(b, mode))")
            case .shape where kind(a) != kind(b): out.append("\(here): \(kind(a)) → \(kind(b))")
            default: break
            }
        }
    }

    /// Integers and doubles are both numbers to a client.
    static func kind(_ v: JSONValue) -> String { v.typeName == "integer" ? "number" : v.typeName }

    static func describe(_ v: JSONValue, _ mode: Mode) -> String {
        guard mode == .values else { return kind(v) }
        let text = v.serializedString()
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}
