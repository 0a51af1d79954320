import AsyncHTTPClient
import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import NIOCore

/// Where the fake answers differently from what production answered: each recorded request is
/// sent to a fake server and the two answers compared by status, error code, content type and
/// JSON shape (members and types; values are volatile and ignored). Task ids the cassette holds
/// are mapped to the ids the fake hands out, so polls reach the fake's own tasks.
public enum Drift {
    public struct Finding: Sendable {
        public var exchangeID: Int
        public var request: String
        /// Empty when the fake agrees.
        public var differences: [String]
        /// Context that is not drift (a task at another stage of its timeline).
        public var notes: [String]
    }

    public static func check(
        _ store: CassetteStore,
        against baseURL: String,
        apiKey: String = "sk-fakelab-drift-check-0000000001"
    ) async throws -> [Finding] {
        // A client for this check only, shut down before the fake it talked to is stopped.
        try await HTTPClient.withHTTPClient(configuration: .fakelab(connect: .seconds(10))) { client in
            try await check(store, against: baseURL, apiKey: apiKey, client: client)
        }
    }

    static func check(_ store: CassetteStore, against baseURL: String, apiKey: String, client: HTTPClient) async throws -> [Finding] {
        var ids: [String: String] = [:]
        var findings: [Finding] = []
        for entry in try store.entries() {
            let recorded = entry.exchange
            guard !recorded.request.path.hasPrefix(MediaLinks.pathPrefix) else { continue }
            var path = recorded.request.path
            for (old, new) in ids { path = path.replacing(old, with: new) }
            var request = HTTPClientRequest(url: baseURL + path + (recorded.request.query.map { "?" + $0 } ?? ""))
            request.method = .init(rawValue: recorded.request.method)
            request.headers.add(name: Secrets.authorizationHeader, value: "Bearer \(apiKey)")
            if let type = recorded.request.contentType { request.headers.add(name: "Content-Type", value: type) }
            if !recorded.request.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: recorded.request.body)) }
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = Array(try await response.body.collect(upTo: 256 << 20).readableBytesView)
            let fake = Exchange.Response(
                status: Int(response.status.code),
                headers: [Exchange.Header("Content-Type", response.headers.first(name: "content-type") ?? "")],
                body: body
            )
            var finding = compare(recorded.response, fake)
            finding.exchangeID = entry.id
            finding.request = "\(recorded.request.method) \(recorded.request.path)"
            findings.append(finding)
            learnIDs(recorded.response.body, body, into: &ids)
        }
        return findings
    }

    static func compare(_ production: Exchange.Response, _ fake: Exchange.Response) -> Finding {
        var out = Finding(exchangeID: 0, request: "", differences: [], notes: [])
        if production.status != fake.status { out.differences.append("status: production \(production.status), fake \(fake.status)") }
        let typeP = production.headers.contentType
        let typeF = fake.headers.first?.value
        guard HeaderValue.isJSON(typeP) else {
            if HeaderValue.mediaType(typeP ?? "") != HeaderValue.mediaType(typeF ?? "") {
                out.differences.append("content-type: production \(typeP ?? "none"), fake \(typeF ?? "none")")
            }
            return out
        }
        guard let p = try? JSONValue.parse(production.body) else { return out }
        guard HeaderValue.isJSON(typeF), let f = try? JSONValue.parse(fake.body) else {
            out.differences.append("body: production answered JSON, the fake \(typeF ?? "no content type")")
            return out
        }
        let codeP = p["error"]?["code"]?.stringValue
        let codeF = f["error"]?["code"]?.stringValue
        if codeP != codeF { out.differences.append("error.code: production \(codeP ?? "none"), fake \(codeF ?? "none")") }
        if let sp = p["status"]?.stringValue, let sf = f["status"]?.stringValue, sp != sf {
            out.notes.append("task status: production \(sp), fake \(sf) (a different point of the timeline; shape not compared)")
            return out
        }
        out.differences += JSONDiff.compare(p, f, mode: .shape).map { "shape \($0) (production → fake)" }
        return out
    }

    /// Pairs the task ids of a recorded answer with the fake's, so later polls use the fake's.
    static func learnIDs(_ production: [UInt8], _ fake: [UInt8], into ids: inout [String: String]) {
        guard let p = try? JSONValue.parse(production), let f = try? JSONValue.parse(fake) else { return }
        for key in ["id", "task_id"] {
            if let a = p[key]?.stringValue, let b = f[key]?.stringValue, a != b, a.count >= 6 { ids[a] = b }
        }
    }
}
