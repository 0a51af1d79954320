import ArgumentParser
import FakelabAPI
import FakelabServer
import Foundation

extension ServeCommand {
    /// The server configuration these flags ask for (flags already checked by `validate()`);
    /// the catalog and fault files are read here, and an error names the flag and the file.
    public func configuration() throws -> ServerConfiguration {
        var config = try ServerConfiguration(catalog: try loadCatalog())
        config.host = host
        config.port = port
        config.seed = seed
        config.publicBaseURL = publicBaseURL
        config.usageEcho = usageEcho
        config.allowFetch = allowFetch
        config.allowFetchLoopback = allowFetchLoopback
        config.rateLimitPerMinute = rateLimit
        config.journalCapacity = journalSize
        config.journalTotalCapacity = journalTotal
        config.maxTasks = maxTasks
        config.maxTasksPerKey = maxTasksPerKey
        config.taskRetention = taskRetention
        config.controlToken = controlToken
        config.logLevel = logLevel
        if let taskPolicy { config.taskPolicy = taskPolicy }
        if let faults { config.startupFaults = try Self.loadFaults(faults) }
        return config
    }

    func loadCatalog() throws -> Catalog? {
        guard let catalog else { return nil }
        do { return try Catalog.load(contentsOf: URL(fileURLWithPath: catalog)) } catch { throw ValidationError("--catalog: \(error)") }
    }

    static func loadFaults(_ path: String) throws -> [FaultRule] {
        do { return try FaultRule.load(contentsOf: URL(fileURLWithPath: path)) } catch { throw ValidationError("--faults: \(error.description)") }
    }
}
