import ArgumentParser
import FakelabCLI
import Foundation
import Testing

/// `fakelab ARGS` parsed as the binary parses them (validate() included), as command type `C`.
func parse<C: ParsableCommand>(_ arguments: [String], as _: C.Type = C.self) throws -> C {
    let command = try Fakelab.parseAsRoot(arguments)
    return try #require(command as? C, "fakelab \(arguments.joined(separator: " ")) parsed as \(type(of: command))")
}

/// The message `fakelab ARGS` prints for its parse or validation error; nil when it parses.
func errorMessage(_ arguments: [String]) -> String? {
    do {
        _ = try Fakelab.parseAsRoot(arguments)
        return nil
    } catch {
        return Fakelab.message(for: error)
    }
}

/// A folder of its own under the temporary folder, removed by the caller when it likes.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-cli-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A file with `text` in a fresh temporary folder.
func temporaryFile(_ name: String, _ text: String = "") throws -> String {
    let url = try temporaryFolder().appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}
