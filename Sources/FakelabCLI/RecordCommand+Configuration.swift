import FakelabRecorder
import Foundation

extension RecorderOptions {
    /// The recorder configuration these flags ask for; the upstream key comes from
    /// `environment["TOKENLAB_API_KEY"]` (never from a flag, so it is not in `ps`).
    func configuration(upstream: String?, mode: RecordMode, environment: [String: String]) -> RecorderConfiguration {
        var config = RecorderConfiguration(cassettePath: cassette, upstream: upstream, mode: mode)
        config.host = host
        config.port = port
        config.afterLast = afterLast
        config.latency = latency
        config.ignoredFields = Set(ignoreFields)
        config.redactor.literals = redactions
        config.publicBaseURL = publicBaseURL
        config.apiKey = environment["TOKENLAB_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        config.logLevel = logLevel
        return config
    }
}

extension RecordCommand {
    /// What `fakelab record` runs with these flags.
    public func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RecorderConfiguration {
        options.configuration(upstream: upstream, mode: mode, environment: environment)
    }
}

extension ReplayCommand {
    /// What `fakelab replay` runs with these flags: record mode none, no upstream.
    public func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) -> RecorderConfiguration {
        options.configuration(upstream: nil, mode: .none, environment: environment)
    }
}
