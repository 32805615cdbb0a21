import FluentKit

/// DEC-004-01: each original member's endorsement or objection, once per change.
struct CreateOutcomeResponses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutcomeResponse.schema)
            .id()
            .field("change_id", .uuid, .required, .references(OutcomeChange.schema, "id"))
            .field("invitation_id", .uuid, .required, .references(Invitation.schema, "id"))
            .field("name", .string, .required)
            .field("agency", .string, .required)
            .field("response", .string, .required)
            .field("reason", .string, .required)
            .field("responded_at", .datetime, .required)
            .unique(on: "change_id", "invitation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutcomeResponse.schema).delete()
    }
}
