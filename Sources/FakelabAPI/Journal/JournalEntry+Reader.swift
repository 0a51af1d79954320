extension JournalEntry {
    /// Reads the members of one JSON object, naming the field (`body.files[0].size`) when one is
    /// missing or has the wrong type. A member that is `null` counts as absent.
    struct Reader {
        let members: [String: JSONValue]
        let path: String

        init(_ value: JSONValue, at path: String) throws(DecodingError) {
            guard case .object(let o) = value else {
                throw DecodingError(path.isEmpty ? "(entry)" : path, "expected an object, got \(value.typeName)")
            }
            (members, self.path) = (o, path)
        }

        func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        func optional(_ key: String) -> JSONValue? {
            guard let v = members[key], v != .null else { return nil }
            return v
        }

        func required(_ key: String) throws(DecodingError) -> JSONValue {
            guard let v = optional(key) else { throw DecodingError(name(key), "required") }
            return v
        }

        private func mismatch(_ key: String, _ expected: String, _ got: JSONValue) -> DecodingError {
            DecodingError(name(key), "expected \(expected), got \(got.typeName)")
        }

        func string(_ key: String) throws(DecodingError) -> String {
            let v = try required(key)
            guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
            return s
        }

        func int(_ key: String) throws(DecodingError) -> Int {
            let v = try required(key)
            guard let i = Self.integer(v) else { throw mismatch(key, "an integer", v) }
            return i
        }

        func double(_ key: String) throws(DecodingError) -> Double {
            let v = try required(key)
            guard let d = v.doubleValue else { throw mismatch(key, "a number", v) }
            return d
        }

        func optionalString(_ key: String) throws(DecodingError) -> String? {
            guard optional(key) != nil else { return nil }
            return try string(key)
        }

        func optionalInt(_ key: String) throws(DecodingError) -> Int? {
            guard optional(key) != nil else { return nil }
            return try int(key)
        }

        func optionalDouble(_ key: String) throws(DecodingError) -> Double? {
            guard optional(key) != nil else { return nil }
            return try double(key)
        }

        func optionalBool(_ key: String) throws(DecodingError) -> Bool? {
            guard let v = optional(key) else { return nil }
            guard let b = v.boolValue else { throw mismatch(key, "a boolean", v) }
            return b
        }

        /// An array member; absent counts as empty.
        func array(_ key: String) throws(DecodingError) -> [JSONValue] {
            guard let v = optional(key) else { return [] }
            guard let a = v.arrayValue else { throw mismatch(key, "an array", v) }
            return a
        }

        /// An object of strings; absent counts as empty.
        func stringMap(_ key: String) throws(DecodingError) -> [String: String] {
            guard let v = optional(key) else { return [:] }
            guard case .object(let o) = v else { throw mismatch(key, "an object", v) }
            var out: [String: String] = [:]
            for (k, value) in o {
                guard let s = value.stringValue else { throw DecodingError("\(name(key)).\(k)", "expected a string, got \(value.typeName)") }
                out[k] = s
            }
            return out
        }

        /// An integer, also when it came as a whole number written with a fraction (`7.0`).
        static func integer(_ v: JSONValue) -> Int? {
            switch v {
            case .int(let i): i
            case .double(let d) where d == d.rounded() && abs(d) < 9e15: Int(d)
            default: nil
            }
        }
    }
}
