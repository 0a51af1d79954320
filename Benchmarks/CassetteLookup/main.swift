import FakelabCassettes
import Foundation

// Cassette lookup time with 100 vs 100,000 exchanges: the same uncached path replay takes on a
// first request (canonical match key + one indexed SQLite query + body), timed over many
// random recorded requests. Prints JSON: {"lookup_us_100":…, "lookup_us_100000":…, "ratio":…}.

func request(_ i: Int) -> Exchange.Request {
    Exchange.Request(
        method: "POST",
        path: "/v1/images/generations",
        contentType: "application/json",
        body: Array(#"{"model":"gpt-image-2","prompt":"lookup benchmark \#(i)","size":"1024x1024"}"#.utf8)
    )
}

func build(_ count: Int, at path: String) throws -> CassetteStore {
    let store = try CassetteStore(path: path)
    let response = Exchange.Response(
        status: 200,
        headers: [.init("Content-Type", "application/json")],
        body: Array(#"{"created":1,"data":[{"url":"https://cdn.example/a.png"}]}"#.utf8)
    )
    var i = 0
    while i < count {
        let batch = (i..<min(count, i + 10_000)).map { Exchange(request: request($0), response: response, recordedAt: 0) }
        try store.append(contentsOf: batch)
        i += batch.count
    }
    return store
}

func microsecondsPerLookup(_ store: CassetteStore, count: Int, lookups: Int) throws -> Double {
    var rng = SystemRandomNumberGenerator()
    let picks = (0..<lookups).map { _ in request(Int.random(in: 0..<count, using: &rng)) }
    let start = ContinuousClock.now
    for r in picks {
        guard try store.answer(digest: MatchKey(r).digest, upTo: 0) != nil else { fatalError("lookup missed a recorded request") }
    }
    let d = ContinuousClock.now - start
    return (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(lookups)
}

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-lookup-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let lookups = Int(ProcessInfo.processInfo.environment["LOOKUPS"] ?? "") ?? 20_000
let small = try build(100, at: dir.appendingPathComponent("100.cassette").path)
let large = try build(100_000, at: dir.appendingPathComponent("100000.cassette").path)
// Warm both, then alternate rounds so drift of the machine hits both sides alike.
_ = try microsecondsPerLookup(small, count: 100, lookups: 1_000)
_ = try microsecondsPerLookup(large, count: 100_000, lookups: 1_000)
var a: [Double] = []
var b: [Double] = []
for _ in 0..<3 {
    a.append(try microsecondsPerLookup(small, count: 100, lookups: lookups))
    b.append(try microsecondsPerLookup(large, count: 100_000, lookups: lookups))
}
let s = a.sorted()[1]
let l = b.sorted()[1]
print(
    #"{"lookup_us_100": \#((s * 100).rounded() / 100), "lookup_us_100000": \#((l * 100).rounded() / 100), "ratio": \#((l / s * 1000).rounded() / 1000)}"#
)
