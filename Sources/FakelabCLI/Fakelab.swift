import ArgumentParser

/// The `fakelab` command: its subcommands map flags onto the library's configurations
/// (`ServeCommand+Configuration.swift`, …) and do no work of their own.
public struct Fakelab: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fakelab",
        abstract: "A fake TokenLab image API for tests, a recorder, and a client conformance suite.",
        subcommands: [
            ServeCommand.self, RecordCommand.self, ReplayCommand.self, ConformCommand.self, VerdictCommand.self, CassetteCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
