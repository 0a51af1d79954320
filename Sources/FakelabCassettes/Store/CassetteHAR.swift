import FakelabAPI
import Foundation

/// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) out of and into a cassette, so
/// browser devtools, Polly.JS and mitmproxy users can read and bring recordings. Binary bodies
/// travel as base64 (`content.encoding`, and the same member on `postData`, which HAR leaves open).
public enum CassetteHAR {
    public static let defaultOrigin = "https://api.tokenlab.invalid"

    public static func export(_ entries: [CassetteStore.Entry], origin: String = defaultOrigin) -> JSONValue {
        let items: [JSONValue] = entries.map { e in
            let x = e.exchange
            var request: [String: JSONValue] = [
                "method": .string(x.request.method),
                "url": .string(origin + x.request.path + (x.request.query.map { "?" + $0 } ?? "")),
                "httpVersion": "HTTP/1.1", "cookies": [], "headers": headers(x.request.headers),
                "queryString": .array(
                    NearMiss.pairs(x.request.query).sorted { $0.key < $1.key }.map { ["name": .string($0.key), "value": .string($0.value)] }
                ),
                "headersSize": -1, "bodySize": .int(x.request.body.count),
            ]
            if !x.request.body.isEmpty {
                request["postData"] = content(x.request.body, mimeType: x.request.contentType ?? "application/octet-stream", textKey: "text")
            }
            let type = x.response.headers.contentType ?? "application/octet-stream"
            return [
                "startedDateTime": .string(
                    Date(timeIntervalSince1970: x.recordedAt).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
                ),
                "time": .double(x.response.latencyMS),
                "request": .object(request),
                "response": [
                    "status": .int(x.response.status), "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                    "headers": headers(x.response.headers), "content": content(x.response.body, mimeType: type, textKey: "text"),
                    "redirectURL": "", "headersSize": -1, "bodySize": .int(x.response.body.count),
                ],
                "cache": [:], "timings": ["send": 0, "wait": .double(x.response.latencyMS), "receive": 0],
                "_fakelab": ["ordinal": .int(e.ordinal), "match": .string(e.match)],
            ]
        }
        return ["log": ["version": "1.2", "creator": ["name": "fakelab", "version": "1"], "entries": .array(items)]]
    }

    static func headers(_ h: [Exchange.Header]) -> JSONValue {
        .array(h.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    static func content(_ bytes: [UInt8], mimeType: String, textKey: String) -> JSONValue {
        var out: [String: JSONValue] = ["mimeType": .string(mimeType), "size": .int(bytes.count)]
        if let text = Exchange.bodyText(bytes, contentType: mimeType) {
            out[textKey] = .string(text)
        } else {
            out[textKey] = .string(Base64.encode(bytes))
            out["encoding"] = "base64"
        }
        return .object(out)
    }

    /// Exchanges from a HAR file, redacted (credential headers, secret query keys, token-shaped
    /// strings in text) before they can reach a cassette.
    public static func exchanges(fromHAR bytes: [UInt8], redactor: Redactor = Redactor()) throws(CassetteError) -> [Exchange] {
        guard let root = try? JSONValue.parse(bytes), let entries = root["log"]?["entries"]?.arrayValue else {
            throw CassetteError.badImport("not a HAR file: expected {\"log\": {\"entries\": [...]}}")
        }
        return try entries.enumerated().map { (i, entry) throws(CassetteError) in
            guard let req = entry["request"], let res = entry["response"], let method = req["method"]?.stringValue,
                let url = req["url"]?.stringValue, let status = res["status"]?.intValue
            else {
                throw CassetteError.badImport("entry \(i): request.method, request.url and response.status are required")
            }
            let (path, query) = pathAndQuery(url)
            let requestHeaders = headers(req["headers"], redactor)
            let contentType = req["postData"]?["mimeType"]?.stringValue ?? requestHeaders.contentType
            let requestBody = body(req["postData"], redactor)
            let response = Exchange.Response(
                status: status,
                headers: headers(res["headers"], redactor),
                body: body(res["content"], redactor),
                latencyMS: entry["time"]?.doubleValue ?? 0
            )
            let started = entry["startedDateTime"]?.stringValue.flatMap { text in
                (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
            }
            return Exchange(
                request: .init(
                    method: method,
                    path: path,
                    query: redactor.redact(query: query),
                    headers: requestHeaders,
                    contentType: contentType,
                    body: requestBody
                ),
                response: response,
                recordedAt: started?.timeIntervalSince1970 ?? 0
            )
        }
    }

    static func pathAndQuery(_ url: String) -> (String, String?) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? ""
        }
        let (path, query) = MediaLinks.split(String(rest))
        return (path.isEmpty ? "/" : path, query)
    }

    static func headers(_ value: JSONValue?, _ redactor: Redactor) -> [Exchange.Header] {
        let pairs = (value?.arrayValue ?? []).compactMap { h -> (String, String)? in
            guard let n = h["name"]?.stringValue, let v = h["value"]?.stringValue else { return nil }
            return (n, v)
        }
        return redactor.redact(headers: pairs).withoutHopByHop().map { Exchange.Header($0.0, $0.1) }
    }

    static func body(_ value: JSONValue?, _ redactor: Redactor) -> [UInt8] {
        guard let text = value?["text"]?.stringValue else { return [] }
        if value?["encoding"]?.stringValue == "base64" { return Base64.decode(text) ?? [] }
        return Array(redactor.redact(text: text).utf8)
    }
}
