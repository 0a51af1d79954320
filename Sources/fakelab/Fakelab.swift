import FakelabCLI

/// The binary's entry point: the commands live in FakelabCLI, where tests can reach them.
@main enum FakelabMain { static func main() async { await Fakelab.main(nil) } }
