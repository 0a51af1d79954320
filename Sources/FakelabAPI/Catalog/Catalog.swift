import Foundation

/// The resolved model catalog: every model's contract, ready to validate and to publish.
public struct Catalog: Sendable {
    public let file: CatalogFile
    /// Models in catalog order (aliases declared with `alias_of` included).
    public let models: [ModelContract]
    private let index: [String: Int]

    public init(file: CatalogFile) throws(CatalogError) {
        self.file = file
        var resolved: [ModelContract] = []
        var index: [String: Int] = [:]
        let entries = Dictionary(file.models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in file.models {
            let contract = try ModelContract(entry: Self.base(of: entry, in: entries), catalog: file)
            for name in [contract.id] + contract.aliases {
                guard index[name] == nil else { throw CatalogError.duplicateModel(name) }
                index[name] = resolved.count
            }
            resolved.append(contract)
        }
        self.models = resolved
        self.index = index
    }

    /// The built-in catalog, compiled into the binary (`.embedInCode`): a copied binary needs no
    /// resource bundle beside it.
    public static func builtIn() throws(CatalogError) -> Catalog {
        try decode(Data(PackageResources.catalog_json), path: "catalog.json (built in)")
    }

    /// A user's catalog file, in the same format as the built-in one.
    public static func load(contentsOf url: URL) throws(CatalogError) -> Catalog {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CatalogError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data, path: url.path)
    }

    static func decode(_ data: Data, path: String) throws(CatalogError) -> Catalog {
        let file: CatalogFile
        do { file = try JSONDecoder().decode(CatalogFile.self, from: data) } catch {
            throw CatalogError.invalid(path: path, reason: "\(error)")
        }
        do { return try Catalog(file: file) } catch { throw error.naming(file: path) }
    }

    /// The contract for a model id or alias.
    public func model(_ id: String) -> ModelContract? {
        index[id].map { models[$0] }
    }

    /// Known ids close to `id` (edit distance ≤ 3, or sharing a prefix), nearest first.
    public func suggestions(for id: String, limit: Int = 3) -> [String] {
        let needle = id.lowercased()
        let scored = index.keys.compactMap { name -> (String, Int)? in
            let lower = name.lowercased()
            let distance = EditDistance.between(needle, lower)
            if distance <= 3 { return (name, distance) }
            if needle.count >= 4, lower.hasPrefix(needle) || needle.hasPrefix(lower) { return (name, 4) }
            return nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// The members a `model_not_found` error adds for an unknown `id`: the id, where to look, the
    /// closest ids (`suggestions`) and the closest one (`did_you_mean`, when there is one). A
    /// create's 400 carries them all; the model routes' 404 only `did_you_mean` (docs/tokenlab.md §7.2).
    public func notFoundHints(for id: String) -> [String: JSONValue] {
        let close = suggestions(for: id)
        var hints: [String: JSONValue] = [
            "model": .string(id),
            "hint": "Query GET /v1/models?recommended_for=image for available image models",
            "suggestions": .array(close.map { ["id": .string($0)] }),
        ]
        if let first = close.first { hints["did_you_mean"] = .string(first) }
        return hints
    }

    /// Pixel dimensions for an aspect ratio at a resolution, from the catalog's table.
    public func dimensions(aspectRatio: String, resolution: String?) -> (width: Int, height: Int)? {
        guard let row = file.aspectRatioDimensions[aspectRatio], row.count == 2 else { return nil }
        let scale = resolution.flatMap { file.resolutionScale[$0] } ?? 1
        return (row[0] * scale, row[1] * scale)
    }

    private static func base(of entry: ModelEntry, in entries: [String: ModelEntry]) throws(CatalogError) -> ModelEntry {
        if let target = entry.contractOf { return try contract(of: target, for: entry, in: entries) }
        guard let target = entry.aliasOf else { return entry }
        guard var base = entries[target], base.aliasOf == nil, base.contractOf == nil else { throw CatalogError.badAlias(entry.id, target) }
        base.id = entry.id
        base.aliases = entry.aliases
        base.lifecycle = entry.lifecycle ?? base.lifecycle
        base.notes = (entry.notes ?? []) + ["Alias of \(target)."]
        return base
    }

    /// `contract_of`: the target's request contract; everything about the model itself from the entry.
    private static func contract(of target: String, for entry: ModelEntry, in entries: [String: ModelEntry]) throws(CatalogError) -> ModelEntry {
        guard var base = entries[target], base.aliasOf == nil, base.contractOf == nil else { throw CatalogError.badAlias(entry.id, target) }
        base.id = entry.id
        base.aliases = entry.aliases
        base.created = entry.created ?? base.created
        base.ownedBy = entry.ownedBy ?? base.ownedBy
        base.lifecycle = entry.lifecycle
        base.pricing = entry.pricing ?? base.pricing
        base.tags = entry.tags
        base.deliveryAvailability = entry.deliveryAvailability ?? base.deliveryAvailability
        base.pollPath = entry.pollPath ?? base.pollPath
        base.taskPolicy = entry.taskPolicy ?? base.taskPolicy
        base.notes = (entry.notes ?? []) + ["Request contract of \(target)."]
        return base
    }
}

enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
