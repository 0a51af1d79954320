import AsyncHTTPClient
import FakelabAPI
import FakelabHTTP
import Foundation
import NIOCore
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
        do {
            // A client for this fetch only (Fakelab's client policy: HTTPClient+Fakelab.swift).
            return try await HTTPClient.withHTTPClient(configuration: Self.clientConfiguration) { client in
                let fetch = RedirectingFetch(client: client, maxRedirects: Self.maxRedirects, maxBytes: maxBytes, timeout: timeout)
                let answer = try await fetch.get(url) { hop in
                    try await check(hop, param: param)
                    return []
                }
                switch answer.status {
                case 200..<300:
                    let bytes = try await answer.body()
                    guard ImageFormat.sniff(bytes) != nil else {
                        throw APIError.badRequest(
                            code: ErrorCode.invalidImage,
                            param: param,
                            "\(param): the URL did not return a PNG, JPEG or WebP image"
                        )
                    }
                    return bytes
                case 300..<400:
                    throw Self.failure(param, "redirect without a usable Location")
                default:
                    throw Self.failure(param, "fetching \(answer.url) answered HTTP \(answer.status)")
                }
            }
        } catch let error as APIError {
            throw error
        } catch let problem as RedirectingFetch.Problem {
            if problem == .tooLarge { throw APIError.payloadTooLarge(limit: maxBytes, param: param, what: "image at \(param)") }
            throw Self.failure(param, problem.description)
        } catch {
            throw Self.failure(param, "could not fetch \(url): \(error)")
        }
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

    /// Redirects are followed by hand (`RedirectingFetch`), so each hop is checked.
    static let clientConfiguration = HTTPClient.Configuration.fakelab(connect: .seconds(5), read: .seconds(timeoutSeconds))
}
