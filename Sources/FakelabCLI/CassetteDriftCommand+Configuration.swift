import FakelabServer

extension CassetteDriftCommand {
    /// The in-process fake's configuration (nil with `--against`): a free port, no rate limit, quiet.
    public func serverConfiguration() throws -> ServerConfiguration? {
        guard against == nil else { return nil }
        var config = try ServerConfiguration()
        config.port = 0
        config.taskPolicy = taskPolicy
        config.rateLimitPerMinute = 0
        config.logLevel = .critical
        return config
    }
}
