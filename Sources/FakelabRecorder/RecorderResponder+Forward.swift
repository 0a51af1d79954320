import AsyncHTTPClient
import FakelabAPI
import FakelabCassettes
import FakelabHTTP
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension RecorderResponder {
    /// Sends the request upstream and answers with what came back. When recording, JSON answers
    /// are read whole (their links are rewritten), their result images captured, and the exchange
    /// committed before the client gets a byte; other answers stream through and are committed
    /// before their last chunk is sent. Either way, an answer a client fully received is on disk.
    func forward(_ request: Request, body: ByteBuffer, incoming: Exchange.Request, base: String, record: Bool) async throws -> Served {
        let started = ContinuousClock.now
        let answer = try await sendUpstream(request, body: body, incoming: incoming)
        let headers = state.responseHeaders(answer.headers)
        let contentType = answer.headers.first(name: "content-type")
        guard record else {
            state.count { $0.forwarded += 1 }
            state.logger.info(
                "passthrough",
                metadata: ["fakelab.method": "\(incoming.method)", "fakelab.path": "\(incoming.path)", "fakelab.status": "\(answer.status.code)"]
            )
            var fields = HTTPFields(recorded: headers)
            fields[RecorderHeaders.source] = AnswerSource.passthrough.rawValue
            return Served(Response(status: .init(code: Int(answer.status.code)), headers: fields, body: .init(asyncSequence: answer.body)))
        }
        if HeaderValue.isJSON(contentType) || contentType == nil {
            return try await recordWhole(answer, headers: headers, request: request, incoming: incoming, base: base, started: started)
        }
        return Served(streamed(answer, headers: headers, incoming: incoming, started: started))
    }

    /// The request as the upstream gets it (connection-level headers dropped, the configured key
    /// when the client sent none), sent; an unreachable upstream is a 502 in TokenLab's envelope.
    func sendUpstream(_ request: Request, body: ByteBuffer, incoming: Exchange.Request) async throws -> HTTPClientResponse {
        let upstream = state.upstream!
        var out = HTTPClientRequest(url: upstream + request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        out.method = .init(rawValue: request.method.rawValue)
        for field in request.headers where !field.name.isHopByHop {
            out.headers.add(name: field.name.rawName, value: field.value)
        }
        if !out.headers.contains(name: Secrets.authorizationHeader), let key = state.configuration.apiKey {
            out.headers.add(name: Secrets.authorizationHeader, value: "Bearer \(key)")
        }
        out.body = .bytes(body)
        do {
            return try await state.client!.execute(out, timeout: .seconds(state.configuration.upstreamTimeout))
        } catch {
            state.count { $0.upstreamErrors += 1 }
            // A warning: the client gets a 502 in TokenLab's envelope; nothing of ours is lost.
            state.logger.warning(
                "upstream failed",
                metadata: [
                    "fakelab.upstream": "\(upstream)", "fakelab.method": "\(incoming.method)", "fakelab.path": "\(incoming.path)",
                    "fakelab.error": "\(error)",
                ]
            )
            throw APIError.upstreamUnreachable(upstream, error: error)
        }
    }

    /// A JSON answer read whole: its result images captured, the exchange committed, then the
    /// answer served as replay would serve it.
    func recordWhole(
        _ answer: HTTPClientResponse,
        headers: [Exchange.Header],
        request: Request,
        incoming: Exchange.Request,
        base: String,
        started: ContinuousClock.Instant
    ) async throws -> Served {
        let raw = try await Array(answer.body.collect(upTo: state.configuration.maxBodyBytes).readableBytesView)
        await capture(state.links.mediaLinks(in: raw), requestHeaders: request.headers)
        let stored = Exchange.Response(
            status: Int(answer.status.code),
            headers: headers,
            body: state.configuration.redactor.redact(bytes: state.links.sanitized(raw)),
            latencyMS: (ContinuousClock.now - started).milliseconds
        )
        var reply = try await response(for: stored, base: base, source: .record)
        if await !commit(Exchange(request: incoming, response: stored, recordedAt: Date().timeIntervalSince1970)) {
            reply.response.headers[RecorderHeaders.refused] = "see the recorder's log"
        }
        return reply
    }

    /// Streams a non-JSON answer, holding back its last chunk until the exchange is committed.
    func streamed(_ answer: HTTPClientResponse, headers: [Exchange.Header], incoming: Exchange.Request, started: ContinuousClock.Instant) -> Response
    {
        var fields = HTTPFields(recorded: headers)
        fields[RecorderHeaders.source] = AnswerSource.record.rawValue
        let status = Int(answer.status.code)
        let state = self.state
        let body = ResponseBody { writer in
            var collected: [UInt8] = []
            var pending: ByteBuffer?
            for try await chunk in answer.body {
                if let pending { try await writer.write(pending) }
                collected += chunk.readableBytesView
                guard collected.count <= state.configuration.maxBodyBytes else { throw APIError.upstreamTooLarge }
                pending = chunk
            }
            let stored = Exchange.Response(
                status: status,
                headers: headers,
                body: state.configuration.redactor.redact(bytes: collected),
                latencyMS: (ContinuousClock.now - started).milliseconds
            )
            _ = await RecorderResponder(state: state).commit(Exchange(request: incoming, response: stored, recordedAt: Date().timeIntervalSince1970))
            if let pending { try await writer.write(pending) }
            try await writer.finish(nil)
        }
        return Response(status: .init(code: status), headers: fields, body: body)
    }

    /// Writes the exchange (grouped with others arriving meanwhile) and returns once it is
    /// committed; false (and a logged reason) when refused.
    func commit(_ exchange: Exchange) async -> Bool {
        switch await state.committer.commit(exchange) {
        case .success(let ordinal):
            state.count { $0.recorded += 1 }
            state.logger.info(
                "recorded",
                metadata: [
                    "fakelab.method": "\(exchange.request.method)", "fakelab.path": "\(exchange.request.path)", "fakelab.ordinal": "\(ordinal)",
                    "fakelab.status": "\(exchange.response.status)", "fakelab.latency_ms": "\(Int(exchange.response.latencyMS))",
                ]
            )
            return true
        case .failure(let error):
            state.count { $0.refused += 1 }
            state.logger.error(
                "not recorded",
                metadata: ["fakelab.method": "\(exchange.request.method)", "fakelab.path": "\(exchange.request.path)", "fakelab.error": "\(error)"]
            )
            return false
        }
    }

    /// Fetches result images behind links (in parallel) and stores each once under its recorder
    /// path, so replay needs no network. The API key goes only to the upstream's own origin.
    func capture(_ links: [String], requestHeaders: HTTPFields) async {
        let wanted = links.filter { link in
            let path = MediaLinks.mediaPath(for: state.links.sanitized(link: link))
            return ((try? state.store.count(of: Exchange.Request(method: "GET", path: path))) ?? 0) == 0
        }
        guard !wanted.isEmpty else { return }
        let authorization = requestHeaders[.authorization] ?? state.configuration.apiKey.map { "Bearer \($0)" }
        await withTaskGroup(of: Void.self) { group in
            for link in wanted {
                group.addTask {
                    let started = ContinuousClock.now
                    do {
                        let (status, type, bytes) = try await fetchMedia(link, authorization: authorization)
                        let path = MediaLinks.mediaPath(for: state.links.sanitized(link: link))
                        let response = Exchange.Response(
                            status: status,
                            headers: type.map { [Exchange.Header("Content-Type", $0)] } ?? [],
                            body: bytes,
                            latencyMS: (ContinuousClock.now - started).milliseconds
                        )
                        _ = await commit(
                            Exchange(request: .init(method: "GET", path: path), response: response, recordedAt: Date().timeIntervalSince1970)
                        )
                    } catch {
                        state.logger.warning(
                            "result image not captured",
                            metadata: ["fakelab.link": "\(state.links.sanitized(link: link))", "fakelab.error": "\(error)"]
                        )
                    }
                }
            }
        }
    }

    /// GET with up to 3 redirects (`RedirectingFetch`; a failure is its `Problem`); the key only
    /// to the upstream's origin.
    func fetchMedia(_ link: String, authorization: String?) async throws -> (Int, String?, [UInt8]) {
        let fetch = RedirectingFetch(
            client: state.client!,
            maxRedirects: 3,
            maxBytes: 50 << 20,
            timeout: .seconds(state.configuration.upstreamTimeout)
        )
        let upstreamOrigin = state.links.upstreamOrigin
        let answer = try await fetch.get(link) { hop in
            guard let authorization, MediaLinks.origin(of: hop) == upstreamOrigin else { return [] }
            return [(Secrets.authorizationHeader, authorization)]
        }
        return (answer.status, answer.header("content-type"), try await answer.body())
    }
}
