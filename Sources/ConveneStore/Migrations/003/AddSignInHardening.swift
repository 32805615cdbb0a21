import FluentKit
import SQLKit

/// Issue 9: a security code is accepted once only (the last accepted 30-second step is kept),
/// and a temporary password set by an administrator must be changed at the next sign-in.
struct AddSignInHardening: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .field("totp_last_step", .int64)
            .update()
        try await database.schema(Person.schema)
            .field("must_change_password", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).deleteField("totp_last_step").update()
        try await database.schema(Person.schema).deleteField("must_change_password").update()
    }
}
