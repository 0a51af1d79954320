import AsyncHTTPClient
import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import FakelabImaging
import FakelabRecorder
import FakelabServer
import FakelabTestSupport
import Foundation
import NIOCore
import Testing

/// End to end over real sockets: the fake is the upstream (no internet here), a real HTTP client
/// talks to the recorder, then the upstream is stopped and the cassette replays.
@Suite struct RecordReplayTests {
    static let key = "sk-recorder-secret-key-000000000001"

    /// One client step: what it sent and the body it got (JSON with the recorder's host normalized).
    struct Step: Equatable {
        var status: Int
        var body: String
    }

    /// The flow a real client runs: sync url + fetching the image, async with polls to completion
    /// and the result image, an edit in multipart.
    static func clientFlow(_ base: String) async throws -> [Step] {
        var steps: [Step] = []
        func note(_ r: HTTP.Reply) { steps.append(Step(status: r.status, body: r.text.replacingOccurrences(of: base, with: "{recorder}"))) }

        let sync = try await HTTP.postJSON(
            base + "/v1/images/generations",
            #"{"model":"gpt-image-2","prompt":"a red fox","size":"1024x1024"}"#,
            key: key
        )
        note(sync)
        let url = try #require(sync.json["data"]?.arrayValue?.first?["url"]?.stringValue, "\(sync.text)")
        #expect(url.hasPrefix(base + MediaLinks.pathPrefix), "result links point at the recorder: \(url)")
        let image = try await HTTP.get(url, key: nil)
        let (pixels, format) = try ImageCodec.decode(image.bytes)
        #expect(image.status == 200 && format == .png && pixels.width == 1024 && pixels.height == 1024)
        steps.append(Step(status: image.status, body: "sha256:" + SHA256.hex(image.bytes)))

        let task = try await HTTP.postJSON(
            base + "/v1/images/generations",
            #"{"model":"gpt-image-2","prompt":"a lighthouse","size":"1024x1024","async":true}"#,
            key: key
        )
        note(task)
        let poll = try #require(task.json["poll_url"]?.stringValue, "\(task.text)")
        var final: HTTP.Reply?
        for _ in 0..<10 {
            let r = try await HTTP.get(base + poll, key: key)
            note(r)
            if ["completed", "succeeded", "failed"].contains(r.json["status"]?.stringValue ?? "") {
                final = r
                break
            }
        }
        let done = try #require(final, "the task finished within 10 polls")
        let result = try #require(Self.firstLink(done.json), "\(done.text)")
        let taskImage = try await HTTP.get(result, key: nil)
        #expect(taskImage.status == 200 && (try? ImageCodec.decode(taskImage.bytes)) != nil)
        steps.append(Step(status: taskImage.status, body: "sha256:" + SHA256.hex(taskImage.bytes)))

        let (form, type) = try FormPart.body(
            [
                .text("model", "gpt-image-2"), .text("prompt", "make it blue"),
                .file(
                    "image",
                    "in.png",
                    PNGCodec.encode(PixelBuffer(width: 64, height: 48, channels: 3, bytes: [UInt8](repeating: 90, count: 64 * 48 * 3)))
                ),
            ],
            boundary: "boundary-\(UUID().uuidString)"
        )
        note(try await HTTP.post(base + "/v1/images/edits", body: Array(form.readableBytesView), contentType: type, key: key))
        return steps
    }

    static func firstLink(_ json: JSONValue) -> String? {
        var found: String?
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let o):
                for (k, x) in o.sorted(by: { $0.key < $1.key }) where found == nil {
                    if k == "url", let s = x.stringValue { found = s } else { walk(x) }
                }
            case .array(let a): a.forEach(walk)
            default: break
            }
        }
        walk(json)
        return found
    }

    static func fake(policy: String = "polls:1,2") async throws -> RunningServer {
        var config = try ServerConfiguration()
        config.port = 0
        config.seed = 11
        config.taskPolicy = TaskPolicy(parsing: policy)!
        return try await FakelabApp.start(config)
    }

    static func recorder(
        _ cassette: String,
        upstream: String?,
        mode: RecordMode,
        afterLast: ExhaustedPolicy = .repeatLast
    ) async throws -> RunningServer {
        var config = RecorderConfiguration(cassettePath: cassette, upstream: upstream, mode: mode)
        config.port = 0
        config.afterLast = afterLast
        config.logLevel = .critical
        return try await Recorder.start(config)
    }

    @Test func recordsThenReplaysOfflineWithIdenticalBodies() async throws {
        let cassette = TempDir().file("flow.cassette")
        let upstream = try await Self.fake()
        let rec = try await Self.recorder(cassette, upstream: upstream.baseURL, mode: .once)
        let recorded = try await Self.clientFlow(rec.baseURL)
        await rec.stop()
        await upstream.stop()

        let store = try CassetteStore(path: cassette, readOnly: true)
        #expect(try store.count() >= 8, "create, polls, result images, edit")
        #expect(try CassetteExport.audit(store).isEmpty)
        let raw = try Data(contentsOf: URL(fileURLWithPath: cassette))
        #expect(raw.range(of: Data(Self.key.utf8)) == nil, "the API key is nowhere in the file")

        let replay = try await Self.recorder(cassette, upstream: nil, mode: .none)
        let replayed = try await Self.clientFlow(replay.baseURL)
        await replay.stop()
        #expect(replayed == recorded)
    }

    @Test func aMissAnswersWithTheClosestRecordingAndWhatDiffers() async throws {
        let cassette = TempDir().file("miss.cassette")
        let upstream = try await Self.fake()
        let rec = try await Self.recorder(cassette, upstream: upstream.baseURL, mode: .all)
        _ = try await HTTP.postJSON(
            rec.baseURL + "/v1/images/generations",
            #"{"model":"gpt-image-2","prompt":"a red fox","size":"1024x1024"}"#,
            key: Self.key
        )
        await rec.stop()
        await upstream.stop()

        let replay = try await Self.recorder(cassette, upstream: nil, mode: .none, afterLast: .miss)
        // Key order and whitespace do not matter.
        let same = try await HTTP.postJSON(
            replay.baseURL + "/v1/images/generations",
            #"{ "size":"1024x1024", "prompt":"a red fox", "model":"gpt-image-2" }"#,
            key: Self.key
        )
        #expect(same.status == 200)
        let again = try await HTTP.postJSON(
            replay.baseURL + "/v1/images/generations",
            #"{"model":"gpt-image-2","prompt":"a red fox","size":"1024x1024"}"#,
            key: Self.key
        )
        #expect(again.status == 404 && again.json["error"]?["code"]?.stringValue == "cassette_miss")
        #expect(again.json["error"]?["recorded_times"]?.intValue == 1)
        let other = try await HTTP.postJSON(
            replay.baseURL + "/v1/images/generations",
            #"{"model":"gpt-image-2","prompt":"a red fox","size":"512x512"}"#,
            key: Self.key
        )
        await replay.stop()
        #expect(other.status == 404)
        let differences = other.json["error"]?["near_misses"]?.arrayValue?.first?["differences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(differences == [#"body.size: "512x512" ≠ recorded "1024x1024""#], "\(other.text)")
    }

    @Test func sixtyFourClientsRecordingInParallelLoseNothing() async throws {
        let cassette = TempDir().file("parallel.cassette")
        let upstream = try await Self.fake(policy: "instant")
        let rec = try await Self.recorder(cassette, upstream: upstream.baseURL, mode: .all)
        // 64 clients × 4 requests: 3 distinct prompts each, and one request all of them share.
        // Each waits up to 120 s: this is about losing nothing, and 64 syntheses queued on a busy
        // two-core machine (a debug build, other suites in parallel) can take longer than 30 s.
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for client in 0..<64 {
                group.addTask {
                    var out: [Int] = []
                    for i in 0..<3 {
                        let body =
                            #"{"model":"gpt-image-2","prompt":"client \#(client) image \#(i)","size":"1024x1024","response_format":"b64_json"}"#
                        out.append(try await HTTP.postJSON(rec.baseURL + "/v1/images/generations", body, key: Self.key, timeout: 120).status)
                    }
                    let shared = try await HTTP.send(
                        rec.baseURL + "/v1/models/gpt-image-2",
                        method: "GET",
                        body: nil,
                        contentType: nil,
                        key: Self.key,
                        timeout: 120
                    )
                    out.append(shared.status)
                    return out
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await rec.stop()
        await upstream.stop()
        #expect(statuses.count == 256 && statuses.allSatisfy { $0 == 200 })
        let store = try CassetteStore(path: cassette, readOnly: true)
        let entries = try store.entries()
        #expect(entries.count == 256)
        let shared = entries.filter { $0.exchange.request.path == "/v1/models/gpt-image-2" }.map(\.ordinal).sorted()
        #expect(shared == Array(0..<64), "the shared request got ordinals 0…63, each once")
        #expect(try store.verify().isEmpty)
    }
}

/// A throwaway folder under the system's temporary directory.
struct TempDir {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A real HTTP client (AsyncHTTPClient) with the few calls these tests make.
enum HTTP {
    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var json: JSONValue { (try? JSONValue.parse(bytes)) ?? .null }
    }

    static func send(
        _ url: String,
        method: String,
        body: [UInt8]?,
        contentType: String?,
        key: String?,
        headers: [(String, String)] = [],
        timeout: Int64 = 30
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, bytes: Array(bytes.readableBytesView))
    }

    static func postJSON(_ url: String, _ json: String, key: String?, timeout: Int64 = 30) async throws -> Reply {
        try await send(url, method: "POST", body: Array(json.utf8), contentType: "application/json", key: key, timeout: timeout)
    }

    static func post(_ url: String, body: [UInt8], contentType: String, key: String?) async throws -> Reply {
        try await send(url, method: "POST", body: body, contentType: contentType, key: key)
    }

    static func get(_ url: String, key: String?) async throws -> Reply {
        try await send(url, method: "GET", body: nil, contentType: nil, key: key)
    }
}

/// Each record mode against a cassette that already holds one exchange (A), then a request it
/// has (A) and one it has not (B): where each answer came from and what the cassette holds after.
@Suite struct RecordModeTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var mode: RecordMode
        var a: String, b: String  // X-Fakelab-Cassette of each answer ("miss" for a 404 cassette_miss)
        var exchangesAfter: Int
        var description: String { mode.rawValue }
    }

    static let table: [Expectation] = [
        .init(mode: .none, a: "replay", b: "miss", exchangesAfter: 1),
        .init(mode: .once, a: "replay", b: "miss", exchangesAfter: 1),  // not empty: replays only
        .init(mode: .newEpisodes, a: "replay", b: "record", exchangesAfter: 2),
        .init(mode: .all, a: "record", b: "record", exchangesAfter: 2),  // starts over
        .init(mode: .passthrough, a: "passthrough", b: "passthrough", exchangesAfter: 1),
    ]

    @Test(arguments: table)
    func modes(_ e: Expectation) async throws {
        let cassette = TempDir().file("\(e.mode.rawValue).cassette")
        let upstream = try await RecordReplayTests.fake()
        let seed = try await RecordReplayTests.recorder(cassette, upstream: upstream.baseURL, mode: .all)
        _ = try await HTTP.get(seed.baseURL + "/v1/models/gpt-image-2", key: RecordReplayTests.key)
        await seed.stop()

        let rec = try await RecordReplayTests.recorder(cassette, upstream: e.mode == .none ? nil : upstream.baseURL, mode: e.mode)
        func source(_ r: HTTP.Reply) -> String {
            r.json["error"]?["code"]?.stringValue == "cassette_miss"
                ? "miss" : r.headers.first { $0.0.lowercased() == "x-fakelab-cassette" }?.1 ?? "none"
        }
        let a = try await HTTP.get(rec.baseURL + "/v1/models/gpt-image-2", key: RecordReplayTests.key)
        let b = try await HTTP.get(rec.baseURL + "/v1/models/nano-banana", key: RecordReplayTests.key)
        await rec.stop()
        await upstream.stop()
        #expect(source(a) == e.a && source(b) == e.b)
        #expect(a.status == 200 && a.json["id"]?.stringValue == "gpt-image-2")
        #expect(try CassetteStore(path: cassette, readOnly: true).count() == e.exchangesAfter)
    }
}
