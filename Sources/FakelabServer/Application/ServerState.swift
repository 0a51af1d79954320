import FakelabAPI

/// The shared, immutable services of one server (each mutable part guards its own state).
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    let validator: Validator
    let presenter: ModelPresenter
    let bodyDecoder: RequestBodyDecoder
    let ids: IDGenerator
    let images: ImageCache
    let tasks: TaskStore
    let tenants: Tenants
    let files: FileStore
    /// Set with `--allow-fetch`.
    let fetcher: ReferenceFetcher?

    init(_ configuration: ServerConfiguration) {
        self.configuration = configuration
        validator = Validator(catalog: configuration.catalog, allowLoopbackReferences: configuration.allowFetch && configuration.allowFetchLoopback)
        fetcher =
            configuration.allowFetch
            ? ReferenceFetcher(allowLoopback: configuration.allowFetchLoopback, maxBytes: configuration.limits.maxImageBytes) : nil
        presenter = ModelPresenter(catalog: configuration.catalog)
        bodyDecoder = RequestBodyDecoder(limits: configuration.limits)
        ids = IDGenerator(seed: configuration.seed)
        images = ImageCache(capacityBytes: configuration.imageCacheBytes)
        tasks = TaskStore(
            retention: configuration.taskRetention,
            maxTasks: configuration.maxTasks,
            maxTasksPerKey: configuration.maxTasksPerKey
        )
        files = FileStore(capacityBytes: configuration.fileStoreBytes)
        tenants = Tenants(
            journalCapacity: configuration.journalCapacity,
            journalTotal: configuration.journalTotalCapacity,
            maxTenants: configuration.maxTenants,
            startupRules: configuration.startupFaults,
            rateLimitPerMinute: configuration.rateLimitPerMinute
        )
    }

    var catalog: Catalog { configuration.catalog }
    var now: Double { configuration.clock.now() }

    /// Where a new task's `poll_url` points: the key's choice, then the model's (catalog), then the default.
    func pollPath(for key: APIKey, model: ModelContract) -> PollPath {
        tenants.with(key) { $0.pollPath } ?? PollPath(rawValue: model.pollPath) ?? .default
    }

    /// Policy for a new task: key+model, key, model (catalog), then the server default.
    func taskPolicy(for key: APIKey, model: ModelContract) -> TaskPolicy {
        let (forModel, forKey) = tenants.with(key) { ($0.modelPolicies[model.id], $0.taskPolicy) }
        return forModel ?? forKey ?? model.taskPolicy.flatMap(TaskPolicy.init(parsing:)) ?? configuration.taskPolicy
    }
}
