import Foundation

/// TokenLab's rule for remote references (guide, "Request Shape Rules"): public `http`/`https`
/// only; no credentials, no fragments, no loopback, private, link-local or reserved addresses,
/// however the address is spelled (decimal, hex, octal, short IPv4 forms, IPv4-mapped IPv6).
public enum ReferenceURLPolicy {
    /// Why `url` is refused, or nil when it passes. Hostnames are not resolved here; a server
    /// that fetches must check the resolved addresses with `problem(withAddress:)` too.
    public static func problem(with url: String, allowLoopback: Bool = false) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return "'\(url)' is not an absolute URL"
        }
        guard scheme == "http" || scheme == "https" else { return "only public http or https URLs are accepted, not \(scheme):" }
        if components.user != nil || components.password != nil || url.split(separator: "#")[0].contains("@") {
            return "URLs with embedded credentials are refused"
        }
        if components.fragment != nil || url.contains("#") { return "URLs with a fragment are refused" }
        guard var host = components.percentEncodedHost?.lowercased(), !host.isEmpty else { return "the URL has no host" }
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        if let reason = problem(withAddress: host, allowLoopback: allowLoopback) { return reason }
        let privateNames = ["localhost", "local", "internal", "intranet", "lan", "home.arpa", "localdomain"]
        if !allowLoopback || host != "localhost" {
            if privateNames.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return "'\(host)' is not a public host" }
        }
        if !host.contains("."), !host.contains(":"), parseIPv4(host) == nil, !(allowLoopback && host == "localhost") {
            return "'\(host)' is not a public host name"
        }
        return nil
    }

    /// Why an address literal is refused (nil for a public address or a host name).
    public static func problem(withAddress host: String, allowLoopback: Bool = false) -> String? {
        if let v4 = parseIPv4(host) { return classify(v4: v4, allowLoopback: allowLoopback).map { "\(host) is a \($0) address" } }
        if host.contains(":"), let v6 = parseIPv6(host) { return classify(v6: v6, allowLoopback: allowLoopback).map { "\(host) is a \($0) address" } }
        return nil
    }

    // MARK: IPv4

    /// inet_aton semantics: 1–4 parts, each decimal, 0x-hex or 0-octal; the last part fills the rest.
    static func parseIPv4(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = number(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for (i, value) in values.enumerated() {
            if i < values.count - 1 {
                guard value <= 255 else { return nil }
                result |= value << (8 * (3 - UInt64(i)))
            } else {
                let remainingBits = 8 * (4 - UInt64(i))
                guard value < (1 << remainingBits) else { return nil }
                result |= value
            }
        }
        return UInt32(result)
    }

    private static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") { return lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16) }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }

    static func classify(v4 a: UInt32, allowLoopback: Bool) -> String? {
        func inRange(_ base: UInt32, _ bits: UInt32) -> Bool { a >> (32 - bits) == base >> (32 - bits) }
        if inRange(0x7F00_0000, 8) { return allowLoopback ? nil : "loopback" }
        let reserved: [(UInt32, UInt32, String)] = [
            (0x0000_0000, 8, "reserved"), (0x0A00_0000, 8, "private"), (0x6440_0000, 10, "shared (CGNAT)"),
            (0xA9FE_0000, 16, "link-local"), (0xAC10_0000, 12, "private"), (0xC000_0000, 24, "reserved"),
            (0xC000_0200, 24, "documentation"), (0xC0A8_0000, 16, "private"), (0xC612_0000, 15, "benchmarking"),
            (0xC633_6400, 24, "documentation"), (0xCB00_7100, 24, "documentation"), (0xE000_0000, 4, "multicast"),
            (0xF000_0000, 4, "reserved"),
        ]
        return reserved.first { inRange($0.0, $0.1) }?.2
    }

    // MARK: IPv6

    static func parseIPv6(_ s: String) -> [UInt16]? {
        var text = s
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var tail: [UInt16] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(String(text[text.index(after: lastColon)...])),
                text[text.index(after: lastColon)...].split(separator: ".").count == 4
            else { return nil }
            tail = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
            text = String(text[...lastColon]) + (text[...lastColon].hasSuffix("::") ? "" : "0")
            if !text.hasSuffix("::") { text.removeLast(2) }
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard g.count <= 4, let value = UInt16(g, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all: [UInt16]
        if halves.count == 2 {
            guard let rest = groups(halves[1]) else { return nil }
            let fill = 8 - head.count - rest.count - tail.count
            guard fill >= 1 else { return nil }
            all = head + Array(repeating: 0, count: fill) + rest + tail
        } else {
            all = head + tail
        }
        return all.count == 8 ? all : nil
    }

    static func classify(v6 g: [UInt16], allowLoopback: Bool) -> String? {
        if g.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if g[0..<7].allSatisfy({ $0 == 0 }), g[7] == 1 { return allowLoopback ? nil : "loopback" }
        if g[0..<5].allSatisfy({ $0 == 0 }), g[5] == 0xFFFF || g[5] == 0 {
            return classify(v4: UInt32(g[6]) << 16 | UInt32(g[7]), allowLoopback: allowLoopback)
        }
        if g[0] == 0x64, g[1] == 0xFF9B, g[2..<6].allSatisfy({ $0 == 0 }) {
            return classify(v4: UInt32(g[6]) << 16 | UInt32(g[7]), allowLoopback: allowLoopback)
        }
        if g[0] & 0xFE00 == 0xFC00 { return "private (unique local)" }
        if g[0] & 0xFFC0 == 0xFE80 { return "link-local" }
        if g[0] & 0xFF00 == 0xFF00 { return "multicast" }
        if g[0] == 0x2001, g[1] == 0x0DB8 { return "documentation" }
        if g[0] == 0x2002 { return classify(v4: UInt32(g[1]) << 16 | UInt32(g[2]), allowLoopback: allowLoopback) }
        return nil
    }
}
