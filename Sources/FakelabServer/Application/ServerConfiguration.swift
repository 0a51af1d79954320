import FakelabAPI
import FakelabHTTP
import Logging

/// Everything a fake server needs; the CLI maps its flags onto this, tests build it directly.
public struct ServerConfiguration: Sendable {
    /// Address to bind (default `127.0.0.1`).
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (see `RunningServer.port`).
    public var port: Int = 8080
    /// Seeds request, task and billing ids and image content: same seed, same run.
    public var seed: UInt64 = 0
    /// The model catalog (default: the built-in one).
    public var catalog: Catalog
    /// Base of result-image URLs; default: `http://` + the request's `Host` header.
    public var publicBaseURL: String?
    public var logLevel: Logger.Level = .info
    public var limits: Limits = .default
    /// Timeline of tasks when neither the model nor the API key sets one.
    public var taskPolicy: TaskPolicy = .default
    /// Seconds a task stays readable after creation (then 404 `async_task_not_found`).
    public var taskRetention: Double = 3600
    /// Most tasks kept at once; the oldest go first. A task costs about 0.25 KB (its slot, its
    /// index entry and its place in two queues): the default keeps the store near 1.2 MB however
    /// many keys create tasks (Benchmarks/run's memory row).
    public var maxTasks: Int = 5_000
    /// Most tasks one key keeps; its oldest go first (another key's tasks are never evicted
    /// by this key's flood).
    public var maxTasksPerKey: Int = 1_000
    /// Bytes of rendered images kept for reuse.
    public var imageCacheBytes: Int = 64 << 20
    /// Really download reference URLs (off: URLs are checked against the rules, not fetched,
    /// and results are synthesized).
    public var allowFetch = false
    /// With `allowFetch`: let references point at loopback (a local image server in tests).
    public var allowFetchLoopback = false
    /// Bytes of files uploaded through `/v1/files` kept (all keys); the oldest go first.
    public var fileStoreBytes: Int = 512 << 20
    public var clock: any WallClock = SystemWallClock()
    /// Add OpenAI's `usage` and `size`/`quality`/`background`/`output_format` echo to inline
    /// results of token-priced models (OPENAI-CONV, not confirmed for TokenLab: docs/tokenlab.md §3.5).
    public var usageEcho = false
    /// Requests per minute per key on the image and task routes (TokenLab's user tier: 1,000);
    /// 0 turns the limiter off.
    public var rateLimitPerMinute = 1000
    /// Journal entries kept per key (a ring: the oldest go first).
    public var journalCapacity = 1000
    /// Journal entries kept across all keys (~0.4 KB each with a small answer): past it, the journals of the keys
    /// used least recently are emptied first, so many keys cannot grow memory without bound.
    public var journalTotalCapacity = 5_000
    /// API keys whose state (journal, rules, policies) is kept at once.
    public var maxTenants = 10_000
    /// Fault rules every key starts with (`fakelab serve --faults FILE`).
    public var startupFaults: [FaultRule] = []
    /// When set, the control API (`/__fakelab/…`) answers any address that sends this in
    /// `X-Fakelab-Control-Token`; when nil it answers loopback only.
    public var controlToken: String?
    /// After a burst, once this long passes without a request, free heap pages go back to the
    /// system (`IdleHeapTrim`; glibc only). nil keeps them.
    public var idleHeapTrim: Duration? = .milliseconds(250)

    public init(catalog: Catalog? = nil) throws(CatalogError) {
        if let catalog { self.catalog = catalog } else { self.catalog = try Catalog.builtIn() }
    }
}
