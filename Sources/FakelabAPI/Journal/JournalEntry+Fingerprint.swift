extension JournalEntry {
    /// The identity of a request, for grouping retries: the same request sent again has the same
    /// fingerprint, whatever order its JSON keys came in; a changed field, file or path gives
    /// another one. Built from the method (upper-cased), the path (no query), the body kind, the
    /// fields as canonical JSON (sorted keys) and each file part as name and SHA-256, in order.
    /// Headers are not part of it (an SDK's retry headers change between tries).
    public enum Fingerprint {
        /// 32 lower-case hex digits (128 bits: two seeded `StableHash` lanes), the same on every run and platform.
        public static func make(method: String, path: String, body: Body?) -> String {
            make(method: method, path: path, kind: body?.kind, fields: body?.fields ?? [:], files: body?.files.map { ($0.name, $0.sha256) } ?? [])
        }

        /// The same digest from the parts, for a server that holds the full (unshortened) fields.
        public static func make(
            method: String,
            path: String,
            kind: Body.Kind?,
            fields: [String: JSONValue],
            files: [(name: String, sha256: String)]
        ) -> String {
            var canonical: [UInt8] = []
            canonical.reserveCapacity(256)
            canonical += method.uppercased().utf8
            canonical.append(0x0A)
            canonical += path.utf8
            canonical.append(0x0A)
            canonical += (kind?.rawValue ?? "none").utf8
            canonical.append(0x0A)
            if !fields.isEmpty { JSONValue.object(fields).write(into: &canonical) }
            for file in files {
                canonical.append(0x0A)
                canonical += file.name.utf8
                canonical.append(0x3D)
                canonical += file.sha256.lowercased().utf8
            }
            var high = StableHash(seed: 0x6661_6b65_6c61_6231)
            var low = StableHash(seed: 0x6670_7269_6e74_3032)
            high.combine(canonical)
            low.combine(canonical)
            return hex(high.value) + hex(low.value)
        }

        /// 16 lower-case hex digits, zero-padded.
        static func hex(_ value: UInt64) -> String { Hex.string(value, digits: 16) }
    }
}
