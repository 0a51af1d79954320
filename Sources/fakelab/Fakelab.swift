import ArgumentParser

@main
struct Fakelab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fakelab",
        abstract: "A fake TokenLab image API for tests, a recorder, and a client conformance suite.",
        subcommands: [Serve.self, Record.self, Replay.self, Conform.self, Cassette.self],
        defaultSubcommand: Serve.self
    )
}
