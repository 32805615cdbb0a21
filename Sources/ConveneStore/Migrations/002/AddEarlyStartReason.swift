import FluentKit
import SQLKit

/// Why a meeting started before its booked slot (issue 16): a meeting cannot be recorded as
/// started early without a reason.
struct AddEarlyStartReason: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Discussion.schema)
            .field("early_start_reason", .string, .required, .sql(.default("")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Discussion.schema).deleteField("early_start_reason").update()
    }
}
