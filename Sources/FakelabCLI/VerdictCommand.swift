import ArgumentParser
import FakelabAPI
import Foundation

/// `fakelab verdict`: the traffic verdict of one API key, from a running fake, as a table a
/// person reads or the JSON a tool reads; exit 1 when a MUST finding exists.
public struct VerdictCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verdict",
        abstract: "Grade what a client did with one API key, from the fake's journal (no adapter needed).",
        discussion: """
            Reads GET /__fakelab/verdict for the key and prints each finding with the requests that show it \
            (#seq METHOD path → status), then what to do instead. The key is never printed (sk-…abcd at most).

            Exit status: 0 no MUST finding, 1 a MUST finding, 2 no verdict (the fake is unreachable or refused).
            """
    )

    @Option(help: "The fake (http://127.0.0.1:8080).") var url: String
    @Option(help: "The API key whose traffic to grade (default: $TOKENLAB_API_KEY).") var key: String?
    @Flag(help: "Print the verdict JSON as the fake gave it.") var json = false
    @Option(help: "Only traffic after this journal seq.") var since: Int?
    @Option(help: "X-Fakelab-Control-Token, when the fake was started with --control-token.") var controlToken: String?

    public init() {}

    public func validate() throws {
        try Check.httpURL(url, flag: "--url")
        if let key { try Self.checkKey(key, flag: "--key") }
        if let since { try Check.atLeast(0, since, flag: "--since") }
        if controlToken?.isEmpty == true { throw ValidationError("--control-token must not be empty") }
    }

    /// `sk-` and 8 or more of `[A-Za-z0-9_-]`, as the fake accepts; the message never repeats the key.
    static func checkKey(_ key: String, flag: String) throws {
        guard Secrets.isAPIKey(key.utf8) else { throw ValidationError("\(flag) must be an API key: sk- and 8 or more of A-Z a-z 0-9 _ -") }
    }

    public func run() async throws {
        let client = VerdictClient(try verdictRequest())
        let outcome: Result<Bool, VerdictError>
        do throws(VerdictError) { outcome = .success(try await report(client)) } catch { outcome = .failure(error) }
        await client.shutdown()
        switch outcome {
        case .success(let hasMust): if hasMust { throw ExitCode(1) }
        case .failure(let error):
            FileHandle.standardError.write(Data("fakelab verdict: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Prints the verdict (table or JSON); true when it has a MUST finding.
    func report(_ client: VerdictClient) async throws(VerdictError) -> Bool {
        let body = try await client.verdict()
        let verdict = try VerdictTable.Verdict(json: body.value)
        if json {
            print(Secrets.maskTokens(in: body.text).trimmingCharacters(in: .newlines))
        } else {
            let journal = verdict.findings.isEmpty ? [] : try await client.journal()
            print(VerdictTable(verdict: verdict, journal: journal, key: client.request.key, url: client.request.baseURL).render())
        }
        return verdict.hasMust
    }
}
