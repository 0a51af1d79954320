import Foundation
import GRDB

extension CassetteStore {
    /// A cassette-level fact (`upstream`: the origin recorded against, never with credentials).
    public func meta(_ key: String) throws(CassetteError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ key: String, _ value: String) throws(CassetteError) {
        do {
            try pool.write { db in try db.execute(sql: "INSERT OR REPLACE INTO meta VALUES (?, ?)", arguments: [key, value]) }
        } catch {
            throw CassetteError.writeFailed(path, "\(error)")
        }
    }

    /// Moves everything into the main file and empties the -wal (at the end of a recording).
    public func checkpoint() throws(CassetteError) {
        do {
            _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw CassetteError.writeFailed(path, "\(error)")
        }
    }

    /// Everything wrong with the file, empty when sound: SQLite's integrity check, bodies every
    /// exchange points at, ordinals without gaps, and the secret audit.
    public func verify() throws(CassetteError) -> [String] {
        var problems: [String] = []
        let integrity = try integrityCheck()
        if integrity != "ok" { problems.append("integrity_check: \(integrity)") }
        let dangling = try read { db in
            try Int.fetchAll(
                db,
                sql: """
                    SELECT id FROM exchanges e WHERE NOT EXISTS (SELECT 1 FROM bodies b WHERE b.sha256 = e.request_body)
                       OR NOT EXISTS (SELECT 1 FROM bodies b WHERE b.sha256 = e.response_body) ORDER BY id
                    """
            )
        }
        problems += dangling.map { "exchange \($0): a body it refers to is missing" }
        let gaps = try read { db in
            try String.fetchAll(db, sql: "SELECT match_text FROM exchanges GROUP BY match_key HAVING MAX(ordinal) + 1 != COUNT(*)")
        }
        problems += gaps.map { "ordinals have a gap for: \($0.prefix(120))" }
        problems += try CassetteExport.audit(self).map { "exchange \($0.0): secret: \($0.1)" }
        return problems
    }
}
