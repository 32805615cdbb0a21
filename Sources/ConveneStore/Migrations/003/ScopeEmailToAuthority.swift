import FluentKit
import SQLKit

/// Issue 9: an email address is unique within an authority, not across the installation, so
/// one authority's administrator cannot learn from "already in use" that another authority
/// knows someone, and a partner agency's officer can hold an account with each authority.
struct ScopeEmailToAuthority: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            // SQLite cannot drop a table constraint: the table is rebuilt without it, inside one
            // transaction, with foreign keys checked at commit (when `people` exists again).
            struct Definition: Decodable { let sql: String }
            try await database.transaction { tx in
                let sql = tx as! any SQLDatabase
                guard let table = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'people'")
                    .first(decoding: Definition.self) else { return }
                let withoutUnique = table.sql.replacingOccurrences(of: #", CONSTRAINT "uq:people.email" UNIQUE ("email")"#, with: "")
                guard withoutUnique != table.sql else { return }
                let create = withoutUnique.replacingOccurrences(of: #"CREATE TABLE "people""#, with: #"CREATE TABLE "people_rebuilt""#)
                try await sql.raw("PRAGMA defer_foreign_keys = ON").run()
                try await sql.raw(SQLQueryString(create)).run()
                try await sql.raw("INSERT INTO people_rebuilt SELECT * FROM people").run()
                try await sql.raw("DROP TABLE people").run()
                try await sql.raw("ALTER TABLE people_rebuilt RENAME TO people").run()
                try await sql.raw("CREATE INDEX people_organisation ON people (organisation_id, team_id)").run()
                try await sql.raw("CREATE UNIQUE INDEX people_organisation_email ON people (organisation_id, email)").run()
                try await sql.raw("CREATE INDEX people_email ON people (email)").run()
            }
        } else {
            try await sql.raw(#"ALTER TABLE people DROP CONSTRAINT IF EXISTS "uq:people.email""#).run()
            try await sql.raw("CREATE UNIQUE INDEX people_organisation_email ON people (organisation_id, email)").run()
            try await sql.raw("CREATE INDEX people_email ON people (email)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX people_organisation_email").run()
        try await sql.raw("DROP INDEX people_email").run()
    }
}
