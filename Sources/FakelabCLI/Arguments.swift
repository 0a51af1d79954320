import ArgumentParser
import FakelabAPI
import FakelabRecorder
import Foundation
import Logging

// Enums the flags name, parsed once by ArgumentParser: a bad value is refused with the flag's
// name and the values it takes, before `run()`.

extension RecordMode: ExpressibleByArgument {}

extension ExhaustedPolicy: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension TaskPolicy: ExpressibleByArgument {
    /// `instant`, `polls:P,R` or `duration:P,R`, optionally `+fail:REASON`.
    public init?(argument: String) { self.init(parsing: argument) }

    public static var defaultCompletionKind: CompletionKind { .list(["instant", "polls:2,1", "duration:1,2", "instant+fail:content_policy"]) }
}

extension ReplayLatency: ExpressibleByArgument {
    /// `none`, `recorded` or `scale:F`.
    public init?(argument: String) { self.init(parsing: argument) }

    public var defaultValueDescription: String {
        switch self {
        case .none: "none"
        case .recorded(let scale): scale == 1 ? "recorded" : "scale:\(scale)"
        }
    }

    public static var defaultCompletionKind: CompletionKind { .list(["none", "recorded", "scale:0.5"]) }
}

/// `fakelab cassette export --format`.
public enum CassetteFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// One exchange a line, deterministic (for diffs).
    case jsonl
    /// HAR 1.2 (for browsers' and proxies' tools).
    case har
}

/// Checks `validate()` methods share; each error names the flag.
enum Check {
    /// A TCP port (0 picks a free one).
    static func port(_ port: Int, flag: String = "--port") throws {
        guard (0...65535).contains(port) else { throw ValidationError("\(flag) must be from 0 to 65535 (0 picks a free port), not \(port)") }
    }

    /// A file that must exist (and not be a folder).
    static func file(_ path: String?, flag: String) throws {
        guard let path else { return }
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { throw ValidationError("\(flag): no file at \(path)") }
        guard !folder.boolValue else { throw ValidationError("\(flag): \(path) is a folder, not a file") }
    }

    /// A folder that must exist.
    static func folder(_ path: String, flag: String) throws {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder), folder.boolValue else {
            throw ValidationError("\(flag): no folder at \(path)")
        }
    }

    /// An `http://` or `https://` URL.
    static func httpURL(_ text: String?, flag: String) throws {
        guard let text else { return }
        let rest = text.hasPrefix("http://") ? text.dropFirst(7) : text.hasPrefix("https://") ? text.dropFirst(8) : ""
        guard !rest.isEmpty, !rest.hasPrefix("/") else {
            throw ValidationError("\(flag) must be an http:// or https:// URL, not '\(text)'")
        }
    }

    /// A count at least `minimum`.
    static func atLeast(_ minimum: Int, _ value: Int, flag: String) throws {
        guard value >= minimum else { throw ValidationError("\(flag) must be \(minimum) or more, not \(value)") }
    }
}
