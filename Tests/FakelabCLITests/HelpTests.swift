import ArgumentParser
import FakelabCLI
import Foundation
import Testing

/// The help text of every command, compared with `Help/<path>.txt` (`fakelab-serve.txt`,
/// `fakelab-cassette-drift.txt`, …). `UPDATE_HELP=1 swift test --filter HelpTests` rewrites them.
@Suite("help text")
struct HelpTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")
    static let update = ProcessInfo.processInfo.environment["UPDATE_HELP"] == "1"

    /// Every command under `root`, with its path of names (`["fakelab", "cassette", "drift"]`).
    static func commands(_ root: any ParsableCommand.Type, path: [String] = []) -> [(path: [String], type: any ParsableCommand.Type)] {
        let here = path + [root.configuration.commandName ?? "?"]
        return [(here, root)] + root.configuration.subcommands.flatMap { commands($0, path: here) }
    }

    @Test("every command's help matches its reference file")
    func helpText() throws {
        let all = Self.commands(Fakelab.self)
        #expect(all.count == 15)
        for (path, type) in all {
            let name = path.joined(separator: "-") + ".txt"
            let file = Self.folder.appendingPathComponent(name)
            let help = (type == Fakelab.self ? Fakelab.helpMessage(columns: 100) : Fakelab.helpMessage(for: type, columns: 100)) + "\n"
            if Self.update {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try Data(help.utf8).write(to: file)
                continue
            }
            let reference = try? String(contentsOf: file, encoding: .utf8)
            #expect(reference != nil, "Help/\(name) is missing: run UPDATE_HELP=1 swift test --filter HelpTests")
            if let reference { #expect(help == reference, "\(path.joined(separator: " ")) --help differs from Help/\(name)") }
        }
    }

    @Test("no reference file is left over from a removed command")
    func noStaleFiles() throws {
        let expected = Set(Self.commands(Fakelab.self).map { $0.path.joined(separator: "-") + ".txt" })
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? []).filter { $0.hasSuffix(".txt") }
        #expect(present.subtracting(expected).isEmpty)
    }
}
