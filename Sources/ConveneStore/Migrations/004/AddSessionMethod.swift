import FluentKit
import SQLKit

/// Issue 15: how a session was opened (`password`, `oidc`, `link`): a temporary password must be
/// changed only by someone who signed in with it.
struct AddSessionMethod: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .field("method", .string, .required, .sql(.default("password")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).deleteField("method").update()
    }
}
