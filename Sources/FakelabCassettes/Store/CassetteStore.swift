import FakelabAPI
import Foundation
import GRDB

/// One cassette: a SQLite file (WAL) with a schema version and migrations. Each `append` call is
/// one transaction (the recorder's `GroupCommitter` batches the exchanges that arrive together
/// into one call), bodies are stored once by SHA-256, and the n-th identical request gets
/// ordinal n. Replay opens it read-only.
public final class CassetteStore: Sendable {
    let pool: DatabasePool
    public let path: String
    public let redactor: Redactor
    public let ignoredFields: Set<String>
    public static let schemaVersion = 1

    public init(path: String, readOnly: Bool = false, redactor: Redactor = Redactor(), ignoredFields: Set<String> = []) throws(CassetteError) {
        self.path = path
        self.redactor = redactor
        self.ignoredFields = ignoredFields
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(5)
        do {
            if readOnly, !FileManager.default.fileExists(atPath: path) { throw CassetteError.missing(path) }
            pool = try DatabasePool(path: path, configuration: config)
            if !readOnly { try Self.migrator.migrate(pool) }
            let version = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") }
            guard version == String(Self.schemaVersion) else { throw CassetteError.incompatible(path, version ?? "none") }
        } catch let error as CassetteError {
            throw error
        } catch {
            throw CassetteError.unreadable(path, "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    INSERT INTO meta VALUES ('schema_version', '1'), ('format', 'fakelab-cassette');
                    CREATE TABLE bodies (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL);
                    CREATE TABLE exchanges (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        match_key TEXT NOT NULL,
                        match_text TEXT NOT NULL,
                        ordinal INTEGER NOT NULL,
                        method TEXT NOT NULL, path TEXT NOT NULL, query TEXT,
                        request_headers TEXT NOT NULL, request_content_type TEXT,
                        request_body TEXT NOT NULL REFERENCES bodies(sha256),
                        status INTEGER NOT NULL, response_headers TEXT NOT NULL,
                        response_body TEXT NOT NULL REFERENCES bodies(sha256),
                        latency_ms REAL NOT NULL, recorded_at REAL NOT NULL,
                        UNIQUE (match_key, ordinal)
                    );
                    CREATE INDEX exchanges_path ON exchanges(method, path);
                    """
            )
        }
        return m
    }

    /// Stores one exchange in a transaction of its own; returns its ordinal among identical requests.
    /// Refuses (and writes nothing) when a secret is still in it.
    @discardableResult
    public func append(_ exchange: Exchange) throws(CassetteError) -> Int {
        try append(contentsOf: [exchange])[0]
    }

    /// Stores exchanges in one transaction (import, bulk fixtures): all or nothing.
    @discardableResult
    public func append(contentsOf exchanges: [Exchange]) throws(CassetteError) -> [Int] {
        for exchange in exchanges {
            let leaks = audit(exchange)
            guard leaks.isEmpty else { throw CassetteError.secret(leaks.joined(separator: ", ")) }
        }
        let prepared = exchanges.map { x in
            (x, MatchKey(x.request, ignoring: ignoredFields), SHA256.hex(x.request.body), SHA256.hex(x.response.body))
        }
        do {
            let ordinals = try pool.write { db in
                try prepared.map { exchange, key, requestHash, responseHash in
                    try db.execute(sql: "INSERT OR IGNORE INTO bodies VALUES (?, ?)", arguments: [requestHash, Data(exchange.request.body)])
                    try db.execute(sql: "INSERT OR IGNORE INTO bodies VALUES (?, ?)", arguments: [responseHash, Data(exchange.response.body)])
                    let ordinal =
                        try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(ordinal) + 1, 0) FROM exchanges WHERE match_key = ?", arguments: [key.digest])
                        ?? 0
                    try db.execute(
                        sql: """
                            INSERT INTO exchanges (match_key, match_text, ordinal, method, path, query, request_headers, request_content_type,
                                request_body, status, response_headers, response_body, latency_ms, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            key.digest, key.description, ordinal, exchange.request.method, exchange.request.path, exchange.request.query,
                            Self.encode(exchange.request.headers), exchange.request.contentType, requestHash,
                            exchange.response.status, Self.encode(exchange.response.headers), responseHash,
                            exchange.response.latencyMS, exchange.recordedAt,
                        ]
                    )
                    return ordinal
                }
            }
            // Copy the committed pages into the main file now (passive: never waits on readers), so
            // the .cassette file alone holds what was recorded even if its -wal is lost or not committed to git.
            _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.passive) }
            return ordinals
        } catch {
            throw CassetteError.writeFailed(path, "\(error)")
        }
    }

    /// Removes every exchange and body (record mode `all` starts over), in one transaction.
    public func removeAll() throws(CassetteError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM exchanges; DELETE FROM bodies")
            }
        } catch {
            throw CassetteError.writeFailed(path, "\(error)")
        }
    }

    /// A recorded response and the ordinal it was recorded at.
    public struct Answer: Sendable {
        public var ordinal: Int
        public var response: Exchange.Response
    }

    /// The answer recorded at `ordinal` for `digest`, or the last one before it when there are fewer
    /// (one indexed query; the caller decides whether repeating the last is allowed).
    public func answer(digest: String, upTo ordinal: Int) throws(CassetteError) -> Answer? {
        try read { db in
            try Row.fetchOne(db, sql: Self.answerSQL + " AND e.ordinal <= ? ORDER BY e.ordinal DESC LIMIT 1", arguments: [digest, ordinal]).map(
                Self.answer
            )
        }
    }

    /// Every answer recorded for `digest`, by ordinal.
    public func answers(digest: String) throws(CassetteError) -> [Answer] {
        try read { db in try Row.fetchAll(db, sql: Self.answerSQL + " ORDER BY e.ordinal", arguments: [digest]).map(Self.answer) }
    }

    static let answerSQL = """
        SELECT e.ordinal, e.status, e.response_headers, e.latency_ms, b.bytes FROM exchanges e
        JOIN bodies b ON b.sha256 = e.response_body WHERE e.match_key = ?
        """

    static func answer(_ row: Row) -> Answer {
        let bytes: Data = row["bytes"]
        return Answer(
            ordinal: row["ordinal"],
            response: Exchange.Response(
                status: row["status"],
                headers: decode(row["response_headers"]),
                body: Array(bytes),
                latencyMS: row["latency_ms"]
            )
        )
    }

    /// The first recording of each distinct request to `method path` (or, when there is none, to
    /// any path), for near-miss reports.
    public func candidates(method: String, path: String, limit: Int = 200) throws(CassetteError) -> [Entry] {
        try read { db in
            var rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM exchanges WHERE method = ? AND path = ? AND ordinal = 0 ORDER BY id LIMIT ?",
                arguments: [method, path, limit]
            )
            if rows.isEmpty {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM exchanges WHERE ordinal = 0 ORDER BY id LIMIT ?", arguments: [limit])
            }
            return try rows.map { Entry(id: $0["id"], ordinal: $0["ordinal"], match: $0["match_text"], exchange: try Self.exchange($0, db)) }
        }
    }

    /// How many recorded answers the request has.
    public func count(of request: Exchange.Request) throws(CassetteError) -> Int {
        let key = MatchKey(request, ignoring: ignoredFields)
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exchanges WHERE match_key = ?", arguments: [key.digest]) ?? 0 }
    }

    public func count() throws(CassetteError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exchanges") ?? 0 }
    }

    /// Bodies stored (each distinct body once).
    public func bodyCount() throws(CassetteError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bodies") ?? 0 }
    }

    /// One stored exchange with its place in the cassette.
    public struct Entry: Sendable {
        public var id: Int
        public var ordinal: Int
        public var match: String
        public var exchange: Exchange
    }

    /// Every exchange with its id, ordinal and match key, in recording order.
    public func entries() throws(CassetteError) -> [Entry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exchanges ORDER BY id").map { row in
                Entry(id: row["id"], ordinal: row["ordinal"], match: row["match_text"], exchange: try Self.exchange(row, db))
            }
        }
    }

    /// SQLite's own integrity check: "ok" for a sound file.
    public func integrityCheck() throws(CassetteError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// Secrets still present in an exchange (header names, token-shaped strings).
    public func audit(_ exchange: Exchange) -> [String] {
        var found: [String] = []
        for h in exchange.request.headers + exchange.response.headers {
            if redactor.headers.contains(h.name.lowercased()) { found.append("header \(h.name)") }
            found += redactor.audit(text: h.value).map { "header \(h.name): \(Self.hint($0))" }
        }
        found += redactor.audit(text: exchange.request.path).map { "path: \(Self.hint($0))" }
        if let q = exchange.request.query { found += redactor.audit(text: q).map { "query: \(Self.hint($0))" } }
        for (name, body) in [("request body", exchange.request.body), ("response body", exchange.response.body)] {
            found += redactor.audit(bytes: body).map { "\(name): \(Self.hint($0))" }
        }
        return found
    }

    private static func hint(_ secret: String) -> String { String(secret.prefix(3)) + "…(\(secret.count) chars)" }

    func read<T>(_ body: (Database) throws -> T) throws(CassetteError) -> T {
        do { return try pool.read(body) } catch { throw CassetteError.unreadable(path, "\(error)") }
    }

    static func encode(_ headers: [Exchange.Header]) -> String {
        JSONValue.array(headers.map { .array([.string($0.name), .string($0.value)]) }).serializedString()
    }

    static func decode(_ text: String) -> [Exchange.Header] {
        ((try? JSONValue.parse(Array(text.utf8)))?.arrayValue ?? []).compactMap { pair in
            guard let p = pair.arrayValue, p.count == 2, let n = p[0].stringValue, let v = p[1].stringValue else { return nil }
            return Exchange.Header(n, v)
        }
    }

    static func exchange(_ row: Row, _ db: Database) throws -> Exchange {
        func body(_ hash: String) throws -> [UInt8] {
            (try Data.fetchOne(db, sql: "SELECT bytes FROM bodies WHERE sha256 = ?", arguments: [hash])).map { Array($0) } ?? []
        }
        let request = Exchange.Request(
            method: row["method"],
            path: row["path"],
            query: row["query"],
            headers: decode(row["request_headers"]),
            contentType: row["request_content_type"],
            body: try body(row["request_body"])
        )
        let response = Exchange.Response(
            status: row["status"],
            headers: decode(row["response_headers"]),
            body: try body(row["response_body"]),
            latencyMS: row["latency_ms"]
        )
        return Exchange(request: request, response: response, recordedAt: row["recorded_at"])
    }
}

/// A cassette problem, with what to do about it. Kinds compare equal whatever their details
/// (`error == .missing`), as AsyncHTTPClient's `HTTPClientError` does.
public struct CassetteError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Equatable, Sendable {
        case missing, unreadable, incompatible, writeFailed, badImport, secret
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Same kind of error (the messages may differ).
    public static func == (lhs: CassetteError, rhs: CassetteError) -> Bool { lhs.code == rhs.code }

    /// No cassette at the path (opening one read-only, for replay).
    public static var missing: CassetteError { CassetteError(.missing, "no cassette") }
    /// The file is not a cassette SQLite can read.
    public static var unreadable: CassetteError { CassetteError(.unreadable, "the cassette cannot be read") }
    /// The cassette has another schema version than this fakelab reads.
    public static var incompatible: CassetteError { CassetteError(.incompatible, "the cassette has another schema version") }
    /// An exchange or a maintenance step was not written.
    public static var writeFailed: CassetteError { CassetteError(.writeFailed, "the cassette was not written") }
    /// A HAR file to import is not usable.
    public static var badImport: CassetteError { CassetteError(.badImport, "the import is not usable") }
    /// An exchange still holds a secret, so it was not written.
    public static var secret: CassetteError { CassetteError(.secret, "an exchange still holds a secret") }

    static func missing(_ path: String) -> CassetteError { CassetteError(.missing, "no cassette at \(path)") }
    static func unreadable(_ path: String, _ reason: String) -> CassetteError {
        CassetteError(.unreadable, "cassette \(path) cannot be read: \(reason)")
    }
    static func incompatible(_ path: String, _ version: String) -> CassetteError {
        CassetteError(.incompatible, "cassette \(path) has schema version \(version); this fakelab reads version \(CassetteStore.schemaVersion)")
    }
    static func writeFailed(_ path: String, _ reason: String) -> CassetteError {
        CassetteError(.writeFailed, "cassette \(path): the exchange was not written: \(reason)")
    }
    static func badImport(_ reason: String) -> CassetteError { CassetteError(.badImport, "import: \(reason)") }
    /// Refuses an exchange in which `what` is still a secret (the recorder's group commit audits too).
    public static func secret(_ what: String) -> CassetteError {
        CassetteError(.secret, "refused to write an exchange that still holds a secret (\(what)); add a redaction rule")
    }
}
