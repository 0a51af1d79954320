import FakelabRecorder
import Testing

/// `RecorderError` kinds compare by what they are, and each keeps its message.
@Suite struct RecorderErrorTests {
    static func start(upstream: String?, mode: RecordMode) throws {
        _ = try Recorder.application(RecorderConfiguration(cassettePath: TempDir().file("error.cassette"), upstream: upstream, mode: mode))
    }

    @Test func aMissingUpstreamAndABadOneAreDifferentKinds() throws {
        #expect(throws: RecorderError.needsUpstream(.all)) { try Self.start(upstream: nil, mode: .all) }
        #expect(throws: RecorderError.invalidUpstream("must start with http:// or https://: ftp://upstream.example")) {
            try Self.start(upstream: "ftp://upstream.example", mode: .all)
        }
        #expect(throws: RecorderError.invalidUpstream("must not carry credentials; use TOKENLAB_API_KEY")) {
            try Self.start(upstream: "https://me:secret@upstream.example", mode: .all)
        }
        #expect(RecorderError.needsUpstream(.all) != .needsUpstream(.newEpisodes))
        #expect(RecorderError.needsUpstream(.all) != .invalidUpstream("record mode all needs --upstream URL"))
    }

    @Test func messagesSayWhatToDo() {
        #expect("\(RecorderError.needsUpstream(.newEpisodes))" == "record mode new_episodes needs --upstream URL")
        #expect(
            "\(RecorderError.invalidUpstream("must not carry credentials; use TOKENLAB_API_KEY"))"
                == "--upstream must not carry credentials; use TOKENLAB_API_KEY"
        )
    }
}
