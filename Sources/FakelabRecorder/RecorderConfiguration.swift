import FakelabCassettes
import Logging

/// VCR's record modes, plus a spy that records nothing.
public enum RecordMode: String, Sendable, CaseIterable {
    /// Replay only; a request with no recorded answer gets a near-miss report.
    case none
    /// Record when the cassette starts empty; otherwise behave as `none`.
    case once
    /// Replay what is recorded; forward and record what is not.
    case newEpisodes = "new_episodes"
    /// Forward and record everything; the cassette starts over.
    case all
    /// Forward without recording (a spy: the console still lists each exchange).
    case passthrough
}

/// What the n-th identical request gets when only n-1 answers were recorded (`--after-last`,
/// whose values are the raw values).
public enum ExhaustedPolicy: String, Sendable, CaseIterable {
    /// The last recorded answer again — what polling a finished task needs.
    case repeatLast = "repeat"
    /// A replay miss.
    case miss = "error"
}

/// How long a replayed answer takes.
public enum ReplayLatency: Sendable, Equatable {
    /// At once.
    case none
    /// The recorded latency times `scale`.
    case recorded(scale: Double)

    /// `none`, `recorded` or `scale:F` (F between 0 and 100).
    public init?(parsing text: String) {
        switch text {
        case "none": self = .none
        case "recorded": self = .recorded(scale: 1)
        default:
            guard text.hasPrefix("scale:"), let f = Double(text.dropFirst(6)), f >= 0, f <= 100 else { return nil }
            self = .recorded(scale: f)
        }
    }
}

/// Everything the recorder needs; the CLI maps flags onto it, tests build it directly.
public struct RecorderConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8090
    public var cassettePath: String
    /// The API recorded against (`https://api.tokenlab.example`); nil replays only.
    public var upstream: String?
    public var mode: RecordMode
    /// `--after-last`: past the last recorded answer to a request.
    public var afterLast: ExhaustedPolicy = .repeatLast
    public var latency: ReplayLatency = .none
    /// Top-level JSON fields / multipart part names left out of matching (e.g. a `user` id).
    public var ignoredFields: Set<String> = []
    public var redactor = Redactor()
    /// Used upstream when the client sends no `Authorization` (from `TOKENLAB_API_KEY`); never stored.
    public var apiKey: String?
    /// Base of rewritten links (default: `http://` + the request's Host).
    public var publicBaseURL: String?
    public var maxBodyBytes = 200 << 20
    /// Seconds one upstream exchange (or image capture) may take.
    public var upstreamTimeout: Int64 = 300
    public var logLevel: Logger.Level = .info

    public init(cassettePath: String, upstream: String? = nil, mode: RecordMode = .none) {
        self.cassettePath = cassettePath
        self.upstream = upstream
        self.mode = mode
    }

    /// `https://host[:port]` without a trailing slash (credentials in the URL are refused).
    static func normalizedUpstream(_ text: String) throws(RecorderError) -> String {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw RecorderError.invalidUpstream("must start with http:// or https://: \(text)")
        }
        if url.dropFirst(8).contains("@") { throw RecorderError.invalidUpstream("must not carry credentials; use TOKENLAB_API_KEY") }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        return url
    }
}

/// A recorder set-up problem, with what to do about it. Kinds compare equal by what they are
/// (`error == .needsUpstream(.all)`), as AsyncHTTPClient's `HTTPClientError` does.
public struct RecorderError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidUpstream(reason: String)
        case needsUpstream(RecordMode)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .invalidUpstream(let reason): "--upstream \(reason)"
        case .needsUpstream(let mode): "record mode \(mode.rawValue) needs --upstream URL"
        }
    }

    /// `--upstream` is not a usable URL (`reason` says why).
    public static func invalidUpstream(_ reason: String) -> RecorderError { .init(.invalidUpstream(reason: reason)) }
    /// A record mode that forwards was given no upstream.
    public static func needsUpstream(_ mode: RecordMode) -> RecorderError { .init(.needsUpstream(mode)) }
}
