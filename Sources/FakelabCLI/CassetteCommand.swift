import ArgumentParser
import FakelabAPI
import FakelabCassettes
import Foundation

/// `fakelab cassette …`: reading, exporting, comparing and checking cassette files.
public struct CassetteCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Inspect a cassette (a SQLite file of recorded exchanges).",
        subcommands: [
            CassetteListCommand.self, CassetteShowCommand.self, CassetteExportCommand.self, CassetteImportCommand.self,
            CassetteAuditCommand.self, CassetteDiffCommand.self, CassetteVerifyCommand.self, CassetteDriftCommand.self,
        ]
    )

    public init() {}
}

/// `fakelab cassette list`.
public struct CassetteListCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One line per exchange: id, ordinal, request, status, body sizes."
    )
    @Argument(help: "The cassette file.") var file: String

    public init() {}

    public func validate() throws { try Check.file(file, flag: "<file>") }

    public func run() throws {
        let store = try CassetteStore(path: file, readOnly: true)
        for e in try store.entries() {
            let x = e.exchange
            let sizes = "\(x.request.body.count) B → \(x.response.body.count) B"
            print(
                "\(e.id)\t#\(e.ordinal)\t\(x.request.method) \(x.request.path)\t\(x.response.status)\t\(sizes)\t\(String(format: "%.1f", x.response.latencyMS)) ms"
            )
        }
    }
}

/// `fakelab cassette audit`.
public struct CassetteAuditCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Fails when any token-shaped string or credential header remains."
    )
    @Argument(help: "The cassette file.") var file: String

    public init() {}

    public func validate() throws { try Check.file(file, flag: "<file>") }

    public func run() throws {
        let store = try CassetteStore(path: file, readOnly: true)
        let findings = try CassetteExport.audit(store)
        for (id, what) in findings { print("exchange \(id): \(what)") }
        print(findings.isEmpty ? "audit: clean (\(try store.count()) exchanges)" : "audit: \(findings.count) finding(s)")
        if !findings.isEmpty { throw ExitCode(1) }
    }
}

/// `fakelab cassette show`.
public struct CassetteShowCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One exchange in full (JSON, bodies as text or base64)."
    )
    @Argument(help: "The cassette file.") var file: String
    @Argument(help: "The exchange id (from list).") var id: Int

    public init() {}

    public func validate() throws { try Check.file(file, flag: "<file>") }

    public func run() throws {
        let store = try CassetteStore(path: file, readOnly: true)
        guard let entry = try store.entries().first(where: { $0.id == id }) else { throw ValidationError("<id>: no exchange \(id) in \(file)") }
        print(CassetteExport.line(entry).prettyString())
    }
}

/// `fakelab cassette export`.
public struct CassetteExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Deterministic JSONL (one exchange a line) or HAR 1.2 on stdout.",
        discussion:
            "For readable git diffs: `git config diff.fakelab-cassette.textconv 'fakelab cassette export'` and `*.cassette diff=fakelab-cassette` in .gitattributes."
    )
    @Argument(help: "The cassette file.") var file: String
    @Option(help: "Output format.") var format: CassetteFormat = .jsonl

    public init() {}

    public func validate() throws { try Check.file(file, flag: "<file>") }

    public func run() throws {
        let store = try CassetteStore(path: file, readOnly: true)
        let text: String
        switch format {
        case .jsonl: text = CassetteExport.jsonl(try store.entries())
        case .har:
            text = CassetteHAR.export(try store.entries(), origin: try store.meta("upstream") ?? CassetteHAR.defaultOrigin).prettyString() + "\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// `fakelab cassette import`.
public struct CassetteImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add the entries of a HAR 1.2 file to a cassette (redacted, in one transaction)."
    )
    @Argument(help: "The HAR file.") var har: String
    @Option(help: "The cassette to add to (created when missing).") var into: String

    public init() {}

    public func validate() throws { try Check.file(har, flag: "<har>") }

    public func run() throws {
        guard let bytes = FileManager.default.contents(atPath: har) else { throw ValidationError("<har>: cannot read \(har)") }
        let exchanges = try CassetteHAR.exchanges(fromHAR: Array(bytes))
        let store = try CassetteStore(path: into)
        try store.append(contentsOf: exchanges)
        print("imported \(exchanges.count) exchange(s) into \(into) (\(try store.count()) in all)")
    }
}

/// `fakelab cassette diff`.
public struct CassetteDiffCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Exchanges added, removed or changed between two cassettes, and which fields changed."
    )
    @Argument(help: "The old cassette.") var old: String
    @Argument(help: "The new cassette.") var new: String

    public init() {}

    public func validate() throws {
        try Check.file(old, flag: "<old>")
        try Check.file(new, flag: "<new>")
    }

    public func run() throws {
        let lines = CassetteDiff.lines(
            try CassetteStore(path: old, readOnly: true).entries(),
            try CassetteStore(path: new, readOnly: true).entries()
        )
        for line in lines { print(line) }
        print(lines.isEmpty ? "no differences" : "\(lines.filter { !$0.hasPrefix(" ") }.count) exchange(s) differ")
        if !lines.isEmpty { throw ExitCode(1) }
    }
}

/// `fakelab cassette verify`.
public struct CassetteVerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Opens the file and checks it: schema, SQLite integrity, bodies, ordinals, secrets."
    )
    @Argument(help: "The cassette file.") var file: String

    public init() {}

    public func validate() throws { try Check.file(file, flag: "<file>") }

    public func run() throws {
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
