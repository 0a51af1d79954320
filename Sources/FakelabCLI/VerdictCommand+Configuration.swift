import ArgumentParser
import Foundation

/// What `fakelab verdict` asks the fake for.
public struct VerdictRequest: Sendable, Equatable {
    /// `http://host:port`, no trailing slash.
    public var baseURL: String
    public var key: String
    public var since: Int?
    public var controlToken: String?

    public init(baseURL: String, key: String, since: Int?, controlToken: String?) {
        (self.baseURL, self.key, self.since, self.controlToken) = (baseURL, key, since, controlToken)
    }
}

extension VerdictCommand {
    /// The request these flags ask for; without `--key`, `environment["TOKENLAB_API_KEY"]`.
    public func verdictRequest(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VerdictRequest {
        guard let key = key ?? environment["TOKENLAB_API_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("--key: name the API key whose traffic to grade (or set TOKENLAB_API_KEY)")
        }
        if self.key == nil { try Self.checkKey(key, flag: "TOKENLAB_API_KEY") }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return VerdictRequest(baseURL: base, key: key, since: since, controlToken: controlToken)
    }
}
