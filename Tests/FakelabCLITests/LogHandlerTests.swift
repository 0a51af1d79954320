import FakelabHTTP
import Logging
import Synchronization
import Testing

/// `fakelab`'s log handler writes what swift-log's `StreamLogHandler` writes, with metadata
/// rendered when a line is written rather than when it is set.
@Suite struct LogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
        /// The lines without their leading timestamp (it differs between two handlers).
        var untimed: [String] {
            text.withLock { $0 }.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" }
        }
    }

    @Test func writesTheLinesStreamLogHandlerWrites() {
        let deferred = Lines()
        let stream = Lines()
        var loggers = [
            Logger(label: "fakelab.test") { DeferredStreamLogHandler(label: $0, stream: deferred) },
            Logger(label: "fakelab.test") { StreamLogHandler(label: $0, stream: stream) },
        ]
        for i in loggers.indices {
            loggers[i][metadataKey: "fakelab.key_id"] = "k_1"
            loggers[i][metadataKey: "hb.request.id"] = "42"
            loggers[i].warning("replay miss", metadata: ["fakelab.path": "/v1/tasks/x"])
            loggers[i].info("plain")
            loggers[i].debug("below the level: not written")
        }
        #expect(deferred.untimed.count == 2)
        #expect(deferred.untimed == stream.untimed)
        let warning = deferred.untimed.first ?? ""
        #expect(warning.hasPrefix("warning fakelab.test:") && warning.hasSuffix("replay miss"))
        for part in ["fakelab.key_id=k_1", "hb.request.id=42", "fakelab.path=/v1/tasks/x"] { #expect(warning.contains(part)) }
    }

    @Test func metadataIsAValuePerLogger() {
        let lines = Lines()
        var first = Logger(label: "fakelab.test") { DeferredStreamLogHandler(label: $0, stream: lines) }
        first[metadataKey: "a"] = "1"
        var second = first
        second[metadataKey: "a"] = "2"
        #expect(first[metadataKey: "a"] == "1")
        #expect(second[metadataKey: "a"] == "2")
        first.info("one")
        second.info("two")
        #expect(lines.untimed == ["info fakelab.test: a=1 [FakelabCLITests] one", "info fakelab.test: a=2 [FakelabCLITests] two"])
    }
}

extension LogHandlerTests {
    /// A `Logger` keeps a handler of up to three words in place; a larger one lives in a box that
    /// the first metadata set on each request's copy of the logger had to copy.
    @Test func theHandlerFitsInALoggersInlineBuffer() {
        #expect(MemoryLayout<DeferredStreamLogHandler>.size <= 3 * MemoryLayout<Int>.size)
    }
}
