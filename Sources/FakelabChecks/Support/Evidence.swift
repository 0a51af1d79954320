import FakelabAPI
import Foundation

extension JournalEntry {
    /// `#seq METHOD path → status`, the way every check and finding names a request.
    public var label: String { "#\(seq) \(method) \(path) → \(statusText)" }

    /// The answer's status, or "no answer" for a request still in flight when the client stopped.
    public var statusText: String { status.map(String.init) ?? "no answer" }

    /// The body's values: JSON members or multipart text fields.
    var values: [String: JSONValue] { body?.fields ?? [:] }

    /// Field names the body carries: JSON members, multipart text fields and file part names
    /// (`image[]` counts as `image` too).
    var fieldNames: Set<String> {
        var out = Set(values.keys)
        for file in body?.files ?? [] {
            out.insert(file.name)
            out.insert(file.name.replacingOccurrences(of: "[]", with: ""))
        }
        return out
    }

    /// The body kind by `Content-Type`: multipart, json, empty, or the type itself.
    var contentKind: String {
        let type = headers["content-type"] ?? ""
        return type.hasPrefix("multipart/") ? "multipart" : type.contains("json") ? "json" : (type.isEmpty ? "empty" : type)
    }

    /// When the answer was complete on the key's clock (arrival when there was none).
    var answeredAt: Double { time + (status == nil ? 0 : durationMS / 1000) }

    /// The task a status read is about: its `task_id`, else the last path segment.
    var readTaskID: String? { taskID ?? path.split(separator: "/").last.map(String.init) }
}

/// Lists of requests as evidence.
enum Evidence {
    /// Up to four labels, `; `-separated, `…` when there are more; "none" for none.
    static func describe(_ entries: [JournalEntry]) -> String {
        entries.isEmpty ? "none" : entries.prefix(4).map(\.label).joined(separator: "; ") + (entries.count > 4 ? "; …" : "")
    }

    /// `#4, #5 and #6`; `#4 … #20 (17 requests)` for more than six.
    static func seqs(_ entries: [JournalEntry]) -> String {
        if entries.count > 6 { return "#\(entries[0].seq) … #\(entries.last!.seq) (\(entries.count) requests)" }
        let labels = entries.map { "#\($0.seq)" }
        guard labels.count > 1 else { return labels.first ?? "none" }
        return labels.dropLast().joined(separator: ", ") + " and " + labels.last!
    }

    /// Seconds with two decimals (`0.25 s`).
    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}

/// Typed access to validated check arguments, with defaults.
struct Arguments {
    let raw: [String: JSONValue]
    init(_ raw: [String: JSONValue]) { self.raw = raw }

    func string(_ key: String) -> String? { raw[key]?.stringValue }
    func int(_ key: String) -> Int? { raw[key]?.intValue }
    func double(_ key: String) -> Double? { raw[key]?.doubleValue }
    func bool(_ key: String) -> Bool? { raw[key]?.boolValue }
    subscript(key: String) -> JSONValue? { raw[key] }

    /// The `route` argument, `create` when absent.
    func route(_ key: String = "route", default fallback: RoutePattern = .create) -> RoutePattern {
        string(key).flatMap(RoutePattern.init) ?? fallback
    }
}
