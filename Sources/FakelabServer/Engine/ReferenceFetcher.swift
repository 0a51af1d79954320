import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// `--allow-fetch`: downloads reference URLs the way TokenLab does (docs/tokenlab.md §3.4): public
/// http(s) only, every resolved address checked, each of at most 3 redirects re-checked, 30 s,
/// 50 MiB, and the bytes must really be PNG, JPEG or WebP. Loopback only when asked.
/// (A host that changes its DNS answer between the check and the connection is not caught.)
struct ReferenceFetcher: Sendable {
    let allowLoopback: Bool
    let maxBytes: Int
    /// TokenLab's remote-fetch timeout: 30 s in the Edit Image docs of 2026-09-25 (036c1868; 10 s on
    /// 09-16, 30 s again on 09-25: docs/tokenlab.md §3.4, remote-fetch timeout).
    static let timeoutSeconds: Int64 = 30
    let timeout: TimeAmount = .seconds(Self.timeoutSeconds)
    static let maxRedirects = 3

    func fetch(_ url: String, param: String) async throws(APIError) -> [UInt8] {
        var current = url
        for _ in 0...Self.maxRedirects {
            try await check(current, param: param)
            var request = HTTPClientRequest(url: current)
            request.method = .GET
            let response: HTTPClientResponse
            do { response = try await Self.client.execute(request, timeout: timeout) } catch {
                throw Self.failure(param, "could not fetch \(current): \(error)")
            }
            switch response.status.code {
            case 300..<400:
                guard let location = response.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString
                else { throw Self.failure(param, "redirect without a usable Location") }
                current = next
            case 200..<300:
                let body: ByteBuffer
                do { body = try await response.body.collect(upTo: maxBytes) } catch is NIOTooManyBytesError {
                    throw APIError.payloadTooLarge(limit: maxBytes, param: param, what: "image at \(param)")
                } catch {
                    throw Self.failure(param, "the download broke off: \(error)")
                }
                let bytes = Array(body.readableBytesView)
                guard ImageFormat.sniff(bytes) != nil else {
                    throw APIError.badRequest(
                        code: ErrorCode.invalidImage,
                        param: param,
                        "\(param): the URL did not return a PNG, JPEG or WebP image"
                    )
                }
                return bytes
            default:
                throw Self.failure(param, "fetching \(current) answered HTTP \(response.status.code)")
            }
        }
        throw Self.failure(param, "more than \(Self.maxRedirects) redirects")
    }

    /// The URL rules, then every address the host resolves to.
    private func check(_ url: String, param: String) async throws(APIError) {
        if let problem = ReferenceURLPolicy.problem(with: url, allowLoopback: allowLoopback) {
            throw APIError.badRequest(code: ErrorCode.invalidImageURL, param: param, "\(param): \(problem)")
        }
        guard let host = URLComponents(string: url)?.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else { return }
        let addresses = await Self.resolve(host)
        guard !addresses.isEmpty else { throw Self.failure(param, "\(host) does not resolve") }
        for address in addresses {
            if let problem = ReferenceURLPolicy.problem(withAddress: address, allowLoopback: allowLoopback) {
                throw APIError.badRequest(code: ErrorCode.invalidImageURL, param: param, "\(param): \(host) resolves to \(problem)")
            }
        }
    }

    private static func failure(_ param: String, _ reason: String) -> APIError {
        .badRequest(code: ErrorCode.invalidImageURL, param: param, "\(param): \(reason)")
    }

    /// Every address of `host` (getaddrinfo on NIO's thread pool: it blocks).
    static func resolve(_ host: String) async -> [String] {
        (try? await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [String]() }
            defer { freeaddrinfo(result) }
            var out: [String] = []
            var node = result
            while let info = node {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                    out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                node = info.pointee.ai_next
            }
            return out
        }) ?? []
    }

    /// One client for all fetches; redirects are followed by hand so each hop is checked.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(timeoutSeconds)),
            proxy: nil
        )
    )
}
