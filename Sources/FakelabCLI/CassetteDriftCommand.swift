import ArgumentParser
import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import FakelabRecorder
import FakelabServer
import Foundation

/// `fakelab cassette drift`: the recorded requests sent to a fake, answers compared.
public struct CassetteDriftCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Send each recorded request to the fake and report where its answer differs from the recording.",
        discussion: "Compares status, error code, content type and JSON shape (values ignored). Without --against, a fake is started in-process."
    )
    @Argument(help: "The cassette file.") var file: String
    @Option(help: "A running fake (http://127.0.0.1:8080); default: start one in-process.") var against: String?
    @Option(help: "Task timeline of the in-process fake.") var taskPolicy: TaskPolicy = .init(.instant)

    public init() {}

    public func validate() throws {
        try Check.file(file, flag: "<file>")
        try Check.httpURL(against, flag: "--against")
    }

    public func run() async throws {
        let store = try CassetteStore(path: file, readOnly: true)
        var server: RunningServer?
        if let config = try serverConfiguration() { server = try await FakelabApp.start(config) }
        let findings: [Drift.Finding]
        do {
            findings = try await Drift.check(store, against: against ?? server!.baseURL)
        } catch {
            await server?.stop()
            throw error
        }
        await server?.stop()
        for f in findings {
            print("\(f.differences.isEmpty ? "same " : "DRIFT") \(f.exchangeID)\t\(f.request)")
            for d in f.differences { print("    \(d)") }
            for n in f.notes { print("    note: \(n)") }
        }
        let drifted = findings.filter { !$0.differences.isEmpty }.count
        print("drift: \(drifted) of \(findings.count) exchange(s) differ")
        if drifted > 0 { throw ExitCode(1) }
    }
}
