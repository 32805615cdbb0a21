import FluentKit
import SQLKit

/// Issue 9: seals on discussions and record versions, and a mark on the audit chain's head
/// once it is keyed (chains written before keys are re-keyed once, at start).
struct AddTamperSeals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Discussion.schema)
            .field("seal", .string, .required, .sql(.default("")))
            .update()
        try await database.schema(RecordVersion.schema)
            .field("seal", .string, .required, .sql(.default("")))
            .update()
        try await database.schema(AuditTrail.headSchema)
            .field("keyed", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Discussion.schema).deleteField("seal").update()
        try await database.schema(RecordVersion.schema).deleteField("seal").update()
        try await database.schema(AuditTrail.headSchema).deleteField("keyed").update()
    }
}
