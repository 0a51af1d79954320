import FakelabAPI

/// The shared, immutable services of one server (each mutable part guards its own state).
final class ServerServices: Sendable {
    let configuration: ServerConfiguration
    let validator: Validator
    let presenter: ModelPresenter
    /// The model list, details and prices, serialized once per query.
    let catalogAnswers = CatalogAnswers()
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

    /// A new task's policy (key+model, key, model from the catalog, then the server default;
    /// a staged `task_failure` fault decides how it fails) and where its `poll_url` points (the
    /// key's choice, the model's, the default), read in one tenant lock.
    func taskSettings(for key: APIKey, model: ModelContract, failure: TaskPolicy.Failure?) -> (TaskPolicy, PollPath) {
        let (forModel, forKey, keyPath) = tenants.with(key) { ($0.modelPolicies[model.id], $0.taskPolicy, $0.pollPath) }
        var policy = forModel ?? forKey ?? model.taskPolicy ?? configuration.taskPolicy
        if let failure { policy.failure = failure }
        return (policy, keyPath ?? PollPath(rawValue: model.pollPath) ?? .default)
    }
}
