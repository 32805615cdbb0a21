import FluentKit
import SQLKit

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Organisation.schema)
            .id()
            .field("name", .string, .required)
            .field("pack_id", .string, .required)
            .field("retention", .json, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).delete()
    }
}

struct CreateTeams: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("name", .string, .required)
            .field("locality", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).delete()
    }
}

struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("team_id", .uuid, .references(Team.schema, "id"))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("agency", .string, .required)
            .field("agency_role", .string, .required)
            .field("password_hash", .string)
            .field("totp_secret", .string)
            .field("totp_enabled", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("disabled_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await Index.create("people_organisation", on: Person.schema, ["organisation_id", "team_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
    }
}

/// Plain (non-unique) indexes, which Fluent's schema builder does not make.
enum Index {
    static func create(_ name: String, on table: String, _ columns: [String], _ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns {
            builder = builder.column(column)
        }
        try await builder.run()
    }

    static func drop(_ name: String, _ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: name).ifExists().run()
    }
}
