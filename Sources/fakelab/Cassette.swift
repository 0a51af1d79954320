import ArgumentParser
import FakelabCassettes
import Foundation

struct Cassette: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a cassette (a SQLite file of recorded exchanges).",
        subcommands: [List.self, Audit.self, Export.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per exchange: id, ordinal, request, status, body sizes.")
        @Argument(help: "The cassette file.") var file: String

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            for e in try store.entries() {
                let x = e.exchange
                print("\(e.id)\t#\(e.ordinal)\t\(x.request.method) \(x.request.path)\t\(x.response.status)\t\(x.request.body.count) B → \(x.response.body.count) B\t\(String(format: "%.1f", x.response.latencyMS)) ms")
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

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deterministic JSONL on stdout (one exchange a line), for review and diffs.")
        @Argument(help: "The cassette file.") var file: String

        func run() throws {
            let store = try CassetteStore(path: file, readOnly: true)
            FileHandle.standardOutput.write(Data(CassetteExport.jsonl(try store.entries()).utf8))
        }
    }
}
