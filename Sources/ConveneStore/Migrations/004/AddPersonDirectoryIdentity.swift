import FluentKit
import SQLKit

/// Issue 15: the identity a person has in their authority's directory (issuer and `sub`), kept
/// once they are matched, so they are found again when their email address changes there.
struct AddPersonDirectoryIdentity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .field("oidc_issuer", .string)
            .update()
        try await database.schema(Person.schema)
            .field("oidc_subject", .string)
            .update()
        // One person per directory identity within an authority (NULLs, the unlinked, are distinct).
        try await (database as! any SQLDatabase).create(index: "people_oidc_subject").unique().on(Person.schema)
            .column("organisation_id").column("oidc_issuer").column("oidc_subject").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "people_oidc_subject").run()
        try await database.schema(Person.schema).deleteField("oidc_subject").update()
        try await database.schema(Person.schema).deleteField("oidc_issuer").update()
    }
}
