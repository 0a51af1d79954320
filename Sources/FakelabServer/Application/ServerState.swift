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

    init(_ configuration: ServerConfiguration) {
        self.configuration = configuration
        validator = Validator(catalog: configuration.catalog)
        presenter = ModelPresenter(catalog: configuration.catalog)
        bodyDecoder = RequestBodyDecoder(limits: configuration.limits)
        ids = IDGenerator(seed: configuration.seed)
        images = ImageCache(capacityBytes: configuration.imageCacheBytes)
        tasks = TaskStore(clock: configuration.clock, retention: configuration.taskRetention, maxTasks: configuration.maxTasks)
    }

    var catalog: Catalog { configuration.catalog }
    var now: Double { configuration.clock.now() }
}
