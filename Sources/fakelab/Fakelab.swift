import FakelabCLI
import FakelabHTTP

/// The binary's entry point: the commands live in FakelabCLI, where tests can reach them.
@main enum FakelabMain {
    static func main() async {
        DeferredStreamLogHandler.bootstrap()
        await Fakelab.main(nil)
    }
}
