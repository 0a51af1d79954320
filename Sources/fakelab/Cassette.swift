import ArgumentParser
import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import FakelabRecorder
import FakelabServer
import Foundation

struct Cassette: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a cassette (a SQLite file of recorded exchanges).",
        subcommands: [List.self, Show.self, Export.self, Import.self, Audit.self, Diff.self, Verify.self, Drift.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per exchange: id, ordinal, request, status, body sizes.")
        @Argument(help: "The cassette file.") var file: String

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            for e in try store.entries() {
                let x = e.exchange
                print(
                    "\(e.id)\t#\(e.ordinal)\t\(x.request.method) \(x.request.path)\t\(x.response.status)\t\(x.request.body.count) B → \(x.response.body.count) B\t\(String(format: "%.1f", x.response.latencyMS)) ms"
                )
            }
        }
    }

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fails when any token-shaped string or credential header remains.")
        @Argument(help: "The cassette file.") var file: String

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            let findings = try CassetteExport.audit(store)
            for (id, what) in findings { print("exchange \(id): \(what)") }
            print(findings.isEmpty ? "audit: clean (\(try store.count()) exchanges)" : "audit: \(findings.count) finding(s)")
            if !findings.isEmpty { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One exchange in full (JSON, bodies as text or base64).")
        @Argument(help: "The cassette file.") var file: String
        @Argument(help: "The exchange id (from list).") var id: Int

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            guard let entry = try store.entries().first(where: { $0.id == id }) else { throw ValidationError("no exchange \(id) in \(file)") }
            print(CassetteExport.line(entry).prettyString())
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deterministic JSONL (one exchange a line) or HAR 1.2 on stdout.",
            discussion:
                "For readable git diffs: `git config diff.fakelab-cassette.textconv 'fakelab cassette export'` and `*.cassette diff=fakelab-cassette` in .gitattributes."
        )
        @Argument(help: "The cassette file.") var file: String
        @Option(help: "jsonl or har.") var format = "jsonl"

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            let text: String
            switch format {
            case "jsonl": text = CassetteExport.jsonl(try store.entries())
            case "har":
                text = CassetteHAR.export(try store.entries(), origin: try store.meta("upstream") ?? CassetteHAR.defaultOrigin).prettyString() + "\n"
            default: throw ValidationError("--format: jsonl or har, not '\(format)'")
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the entries of a HAR 1.2 file to a cassette (redacted, in one transaction).")
        @Argument(help: "The HAR file.") var har: String
        @Option(help: "The cassette to add to (created when missing).") var into: String

        func run() throws {
            guard let bytes = FileManager.default.contents(atPath: har) else { throw ValidationError("cannot read \(har)") }
            let exchanges = try CassetteHAR.exchanges(fromHAR: Array(bytes))
            let store = try CassetteStore(path: into)
            try store.append(contentsOf: exchanges)
            print("imported \(exchanges.count) exchange(s) into \(into) (\(try store.count()) in all)")
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchanges added, removed or changed between two cassettes, and which fields changed."
        )
        @Argument(help: "The old cassette.") var old: String
        @Argument(help: "The new cassette.") var new: String

        func run() throws {
            let lines = CassetteDiff.lines(
                try CassetteStore(path: old, readOnly: true).entries(),
                try CassetteStore(path: new, readOnly: true).entries()
            )
            for line in lines { print(line) }
            print(lines.isEmpty ? "no differences" : "\(lines.filter { !$0.hasPrefix(" ") }.count) exchange(s) differ")
            if !lines.isEmpty { throw ExitCode(1) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Opens the file and checks it: schema, SQLite integrity, bodies, ordinals, secrets."
        )
        @Argument(help: "The cassette file.") var file: String

        func run() throws {
            let store: CassetteStore
            do { store = try CassetteStore(path: file, readOnly: true) } catch {
                print("verify: \(error)")
                throw ExitCode(1)
            }
            let problems = try store.verify()
            for problem in problems { print(problem) }
            print(
                problems.isEmpty
                    ? "verify: ok (\(try store.count()) exchanges, \(try store.bodyCount()) bodies)" : "verify: \(problems.count) problem(s)"
            )
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Drift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send each recorded request to the fake and report where its answer differs from the recording.",
            discussion: "Compares status, error code, content type and JSON shape (values ignored). Without --against, a fake is started in-process."
        )
        @Argument(help: "The cassette file.") var file: String
        @Option(help: "A running fake (http://127.0.0.1:8080); default: start one in-process.") var against: String?
        @Option(help: "Task timeline of the in-process fake.") var taskPolicy = "instant"

        func run() async throws {
            let store = try CassetteStore(path: file, readOnly: true)
            var server: RunningServer?
            if against == nil {
                var config = try ServerConfiguration()
                config.port = 0
                guard let policy = TaskPolicy(parsing: taskPolicy) else { throw ValidationError("--task-policy: cannot parse '\(taskPolicy)'") }
                config.taskPolicy = policy
                config.rateLimitPerMinute = 0
                config.logLevel = .critical
                server = try await FakelabServer.start(config)
            }
            let findings: [FakelabRecorder.Drift.Finding]
            do {
                findings = try await FakelabRecorder.Drift.check(store, against: against ?? server!.baseURL)
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
}
