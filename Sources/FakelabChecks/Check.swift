import FakelabAPI

/// One named check: what it reads, which arguments it takes, and its judgement of a run.
///
/// Scenarios (`fakelab conform`) and `POST /__fakelab/verify` name checks from `CheckRegistry`.
/// `judge` may assume its arguments passed `CheckRegistry.validate`; a missing argument takes
/// its default.
public protocol Check: Sendable {
    /// The name scenarios and `/verify` use.
    var name: String { get }
    /// The arguments it takes, with their types.
    var arguments: [CheckArgument] { get }
    /// True when it reads the client's run (exit code, output, result file, images), which only
    /// the conformance runner has; such a check fails with a clear `actual` without one.
    var needsClient: Bool { get }
    /// Checks what the argument types alone cannot (arguments that exclude each other, bounds
    /// in order); `CheckRegistry.validate` calls it after the types passed.
    func validate(_ arguments: [String: JSONValue]) throws(CheckError)
    /// Judges the run: pass or fail, what was expected, what came, which requests show it.
    func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement
}

extension Check {
    /// Checks over the journal alone.
    public var needsClient: Bool { false }

    /// No rules beyond the argument types.
    public func validate(_ arguments: [String: JSONValue]) throws(CheckError) {}
}

/// A check's verdict on one run, with the evidence.
public struct Judgement: Sendable, Equatable {
    /// True when the run did what the check expects.
    public var passed: Bool
    /// What the check expected, in words.
    public var expected: String
    /// What came, naming requests as `#seq METHOD path → status`.
    public var actual: String
    /// The journal `seq` numbers of the requests the evidence names.
    public var requests: [Int]

    /// A judgement with its evidence.
    public init(passed: Bool, expected: String, actual: String, requests: [Int] = []) {
        (self.passed, self.expected, self.actual, self.requests) = (passed, expected, actual, requests)
    }
}

/// What a check reads: the key's journal, and the client's run when there was one.
public struct CheckInput: Sendable {
    /// The key's journal, oldest first.
    public var journal: [JournalEntry]
    /// Nil on the server's `/verify`, which sees only traffic.
    public var client: ClientObservation?

    /// The journal, with the client run when there was one.
    public init(journal: [JournalEntry], client: ClientObservation? = nil) {
        (self.journal, self.client) = (journal, client)
    }
}

/// What the conformance runner saw of the client process.
public struct ClientObservation: Sendable {
    /// One image the client reported, as the runner decoded it.
    public struct Image: Sendable, Equatable {
        /// `png`, `jpeg` or `webp`, as decoded.
        public var format: String?
        /// Pixels, as decoded.
        public var width: Int?
        /// Pixels, as decoded.
        public var height: Int?
        /// Why it could not be used (missing, not an image, …).
        public var problem: String?

        /// An image as the runner decoded it.
        public init(format: String? = nil, width: Int? = nil, height: Int? = nil, problem: String? = nil) {
            (self.format, self.width, self.height, self.problem) = (format, width, height, problem)
        }
    }

    /// The process's exit status; nil when it was killed.
    public var exitCode: Int32?
    /// The client's result file, parsed.
    public var result: JSONValue?
    /// Why the result file could not be used (missing, not JSON).
    public var resultProblem: String?
    /// The client's standard output.
    public var stdout: String
    /// The client's standard error.
    public var stderr: String
    /// Wall-clock seconds the client ran.
    public var seconds: Double
    /// True when the runner stopped the client at its timeout.
    public var timedOut: Bool
    /// The key the client was given (checked against its output, never printed).
    public var apiKey: String
    /// The images the client reported, decoded by the runner.
    public var images: [Image]

    /// What the runner saw; by default a clean exit with nothing printed.
    public init(
        exitCode: Int32? = 0,
        result: JSONValue? = nil,
        resultProblem: String? = nil,
        stdout: String = "",
        stderr: String = "",
        seconds: Double = 0,
        timedOut: Bool = false,
        apiKey: String = "",
        images: [Image] = []
    ) {
        (self.exitCode, self.result, self.resultProblem, self.stdout, self.stderr) = (exitCode, result, resultProblem, stdout, stderr)
        (self.seconds, self.timedOut, self.apiKey, self.images) = (seconds, timedOut, apiKey, images)
    }
}

/// One argument a check takes.
public struct CheckArgument: Sendable, Equatable {
    /// The JSON shape an argument must have.
    public enum Kind: String, Sendable {
        case string, integer, number, boolean
        /// A `RoutePattern` text (`METHOD /path`, `/prefix*`, `create`, `poll`).
        case route
        /// A path, `/exact` or `/prefix*`.
        case path
        /// Any JSON value.
        case any
    }

    /// The argument as a scenario spells it.
    public var name: String
    /// Its JSON shape.
    public var kind: Kind
    /// What it means and its default, for error messages and docs.
    public var summary: String

    /// An argument named `name` of JSON shape `kind`.
    public init(_ name: String, _ kind: Kind, _ summary: String) {
        (self.name, self.kind, self.summary) = (name, kind, summary)
    }
}
